Feature: Changing limits while they are in use
  Limits can be created and changed at any time. More capacity applies at once. Less capacity
  waits, with the limit "decreasing", until enough is free; the change is then applied on the
  next tick (every second), never in the middle of a reserve. Other fields apply at once to new
  holds. A limit never changes its kind.

  Scenario: A new limit starts active with nothing held
    When a rolling limit "tokens" of 500 per 60 seconds is defined
    Then the change is answered with status "active"
    And the limit "tokens" reads:
      | kind                | rolling |
      | status              | active  |
      | capacity            | 500     |
      | window_seconds      | 60      |
      | overage             | debt    |
      | pending_decrease_to |         |
      | held                | 0       |
      | available           | 500     |
      | debt                | 0       |

  Scenario: An increase applies at once
    Given a rolling limit "requests" of 1 per 60 seconds
    And lease A reserved 1 of "requests"
    And lease B was denied 1 of "requests"
    When the capacity of "requests" is changed to 2
    Then the change is answered with status "active"
    When lease C reserves 1 of "requests"
    Then the reserve is allowed
    And "requests" shows 2 held and 0 available

  Scenario: An increase cancels a pending decrease
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 80 of "tokens"
    And the capacity of "tokens" was changed to 60
    When the capacity of "tokens" is changed to 100
    Then the change is answered with status "active"
    And the limit "tokens" reads:
      | status              | active |
      | capacity            | 100    |
      | pending_decrease_to |        |
    When lease B reserves 20 of "tokens"
    Then the reserve is allowed

  Scenario: Putting the same capacity again also cancels a pending decrease
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 80 of "tokens"
    And the capacity of "tokens" was changed to 60
    When the capacity of "tokens" is changed to 100
    Then the limit "tokens" is active with capacity 100

  Scenario: A lower target replaces the pending one
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 80 of "tokens"
    And the capacity of "tokens" was changed to 60
    When the capacity of "tokens" is changed to 50
    Then the change is answered with status "decreasing"
    And the limit "tokens" is still decreasing to 50

  Scenario: A higher target below the capacity also replaces the pending one
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 80 of "tokens"
    And the capacity of "tokens" was changed to 50
    When the capacity of "tokens" is changed to 70
    Then the change is answered with status "decreasing"
    And the limit "tokens" is still decreasing to 70

  @simulated-time
  Scenario: A decrease of an idle limit applies on the next tick
    Given a rolling limit "tokens" of 100 per 60 seconds
    And 300 milliseconds pass
    When the capacity of "tokens" is changed to 10
    Then the change is answered with status "decreasing"
    When lease A reserves 1 of "tokens"
    Then the reserve is denied with error "limit_decreasing:tokens" and a retry hint of 10000 ms
    When it is 999 milliseconds after the start
    Then the limit "tokens" is still decreasing to 10
    When 1 millisecond passes
    Then the limit "tokens" is active with capacity 10
    And "tokens" shows 0 held and 10 available
    When lease B reserves 10 of "tokens"
    Then the reserve is allowed

  @simulated-time
  Scenario: A decrease applies on the tick when exactly enough is free
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 20 of "tokens"
    And 10 seconds pass
    And lease B reserved 60 of "tokens"
    And the capacity of "tokens" was changed to 60
    # 20 is free; 40 must be, and will be when lease A's 20 end with its window.
    When it is 59999 milliseconds after the start
    Then the limit "tokens" is still decreasing to 60
    When 1 millisecond passes
    Then the limit "tokens" reads:
      | status              | active |
      | capacity            | 60     |
      | pending_decrease_to |        |
      | held                | 60     |
      | available           | 0      |
    When lease C reserves 1 of "tokens"
    Then the reserve is denied for capacity
    When it is 70000 milliseconds after the start
    And lease D reserves 60 of "tokens"
    Then the reserve is allowed

  @simulated-time
  Scenario: A decrease to exactly what is held leaves no room
    Given a concurrency limit "slots" of 10 with a timeout of 60 seconds
    And lease A reserved 4 of "slots"
    And lease B reserved 6 of "slots"
    And the capacity of "slots" was changed to 6
    And lease A completed
    When 1 second passes
    Then the limit "slots" reads:
      | status    | active |
      | capacity  | 6      |
      | held      | 6      |
      | available | 0      |
    When lease C reserves 1 of "slots"
    Then the reserve is denied for capacity

  @simulated-time
  Scenario: A new window applies to new holds; existing holds keep theirs
    Given a rolling limit "requests" of 10 per 60 seconds
    And lease A reserved 1 of "requests"
    When the window of "requests" is changed to 10 seconds
    Then the change is answered with status "active"
    When lease B reserves 1 of "requests"
    And it is 9999 milliseconds after the start
    Then "requests" shows 2 held and 8 available
    When 1 millisecond passes
    Then "requests" shows 1 held and 9 available
    When it is 60000 milliseconds after the start
    Then "requests" shows 0 held and 10 available

  Scenario: A new overage applies to later completes
    Given a rolling limit "tokens" of 10 per 60 seconds with overage debt
    And lease A reserved 10 of "tokens"
    When the overage of "tokens" is changed to deny
    And lease A completes with 15 of "tokens"
    Then "tokens" shows 10 held, 0 available and a debt of 0

  Scenario: A limit cannot change its kind
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 4 of "tokens"
    When "tokens" is redefined as a concurrency limit of 10 with a timeout of 30 seconds
    Then the change is refused with error "kind_immutable"
    And the limit "tokens" reads:
      | kind      | rolling |
      | status    | active  |
      | capacity  | 10      |
      | held      | 4       |
      | available | 6       |

  Scenario: A concurrency limit cannot become rolling either
    Given a concurrency limit "slots" of 3 with a timeout of 30 seconds
    When "slots" is redefined as a rolling limit of 3 per 60 seconds
    Then the change is refused with error "kind_immutable"
    And the limit "slots" reads:
      | kind            | concurrency |
      | timeout_seconds | 30          |
