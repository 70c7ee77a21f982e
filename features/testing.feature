Feature: Rate limiting LLM calls
  A program reserves what a call to a model will use before making it, and completes the
  reservation with what the call really used. A reserve is allowed only when every limit it
  names has room; what it holds comes back when its window ends or its lease completes.
  These are the behaviours every user of the limiter relies on first.

  Scenario: A rolling limit of 2 denies the third reserve
    Given a rolling limit "requests" of 2 per 60 seconds
    When lease A reserves 1 of "requests"
    And lease B reserves 1 of "requests"
    And lease C reserves 1 of "requests"
    Then lease A is allowed
    And lease B is allowed
    And lease C is denied for capacity
    And "requests" shows 2 held and 0 available

  Scenario: A linked reservation over a too-small provider limit holds nothing on the user limit
    Given a rolling limit "provider" of 1 per 60 seconds
    And a rolling limit "user" of 100 per 60 seconds
    When lease A reserves 2 of "provider" and 2 of "user"
    Then the reserve is denied with error "exceeds_capacity:provider" and a retry hint of 0 ms
    And "user" shows 0 held and 100 available
    And "provider" shows 0 held and 1 available

  Scenario: A linked reservation that finds one limit full holds nothing on the others
    Given a rolling limit "provider" of 2 per 60 seconds
    And a rolling limit "user" of 100 per 60 seconds
    And lease A reserved 1 of "provider"
    When lease B reserves 2 of "user" and 2 of "provider"
    Then the reserve is denied for capacity
    And "user" shows 0 held and 100 available
    And "provider" shows 1 held and 1 available

  Scenario: A concurrency limit of 1 is free again right after its lease completes
    Given a concurrency limit "slots" of 1 with a timeout of 30 seconds
    And lease A reserved 1 of "slots"
    And lease B was denied 1 of "slots"
    When lease A completes
    Then the complete is ok
    And "slots" shows 0 held and 1 available
    When lease C reserves 1 of "slots"
    Then the reserve is allowed

  Scenario: Using more than reserved on a full limit records a debt
    Given a rolling limit "tokens" of 100 per 60 seconds with overage debt
    And lease A reserved 100 of "tokens"
    When lease A completes with 150 of "tokens"
    Then the complete is ok
    And "tokens" shows 100 held, 0 available and a debt of 50

  Scenario: A batch of two reserves on a limit of 1 answers in order
    Given a rolling limit "requests" of 1 per 60 seconds
    When a batch reserves:
      | lease | requirements    |
      | A     | 1 of "requests" |
      | B     | 1 of "requests" |
    Then the batch answers:
      | lease | allowed | error |
      | A     | true    |       |
      | B     | false   |       |
    And "requests" shows 1 held and 0 available

  @simulated-time
  Scenario: A decrease waits until enough is free, refusing new reserves meanwhile
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 40 of "tokens"
    And lease B reserved 40 of "tokens"
    When the capacity of "tokens" is changed to 60
    Then the change is answered with status "decreasing"
    And the limit "tokens" reads:
      | status              | decreasing |
      | capacity            | 100        |
      | pending_decrease_to | 60         |
      | held                | 80         |
      | available           | 20         |
    When lease C reserves 1 of "tokens"
    Then the reserve is denied with error "limit_decreasing:tokens" and a retry hint of 10000 ms
    # 40 must be free before the capacity can drop from 100 to 60; 39 is not enough.
    When 500 milliseconds pass
    And lease A completes with 21 of "tokens"
    Then "tokens" shows 61 held and 39 available
    When 1 second passes
    Then the limit "tokens" is still decreasing to 60
    When lease D reserves 1 of "tokens"
    Then the reserve is denied with error "limit_decreasing:tokens" and a retry hint of 10000 ms
    When lease B completes with 39 of "tokens"
    Then "tokens" shows 60 held and 40 available
    # A decrease applies on the next tick, never inside a reserve.
    When lease E reserves 1 of "tokens"
    Then the reserve is denied with error "limit_decreasing:tokens" and a retry hint of 10000 ms
    When 500 milliseconds pass
    Then the limit "tokens" reads:
      | status              | active |
      | capacity            | 60     |
      | pending_decrease_to |        |
      | held                | 60     |
      | available           | 0      |
    When lease F reserves 1 of "tokens"
    Then the reserve is denied for capacity
    # Both completes rounded the rest of the window up to whole seconds: it ends at 60.5 s.
    When it is 60500 milliseconds after the start
    And lease G reserves 60 of "tokens"
    Then the reserve is allowed
    And "tokens" shows 60 held and 0 available
