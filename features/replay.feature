Feature: Sending the same lease again
  A lease id names one reserve attempt. Networks resend requests, so a reserve of a lease the
  limiter already knows is answered from what happened to that lease, and never holds capacity
  a second time or after the lease ended.

  @simulated-time
  Scenario: The same reserve again is allowed with its original reserved time and holds nothing new
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 3 of "tokens"
    And 5 seconds pass
    When lease A reserves 3 of "tokens"
    Then the reserve is allowed, reserved at 0 milliseconds after the start
    And "tokens" shows 3 held and 7 available

  Scenario: The same requirements in another order are the same reserve
    Given a rolling limit "input" of 10 per 60 seconds
    And a rolling limit "output" of 10 per 60 seconds
    And lease A reserved 1 of "input" and 2 of "output"
    When lease A reserves 2 of "output" and 1 of "input"
    Then the reserve is allowed with its original reserved time
    And "input" shows 1 held and 9 available
    And "output" shows 2 held and 8 available

  Scenario: The same lease with other amounts is a conflict
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 3 of "tokens"
    When lease A reserves 4 of "tokens"
    Then the reserve is denied with error "lease_conflict" and a retry hint of 0 ms
    And "tokens" shows 3 held and 7 available

  Scenario: The same lease with another key is a conflict
    Given a rolling limit "tokens" of 10 per 60 seconds
    And a rolling limit "requests" of 10 per 60 seconds
    And lease A reserved 3 of "tokens"
    When lease A reserves 3 of "tokens" and 1 of "requests"
    Then the reserve is denied with error "lease_conflict" and a retry hint of 0 ms
    And "requests" shows 0 held and 10 available

  Scenario: A completed lease cannot be reserved again
    Given a concurrency limit "slots" of 1 with a timeout of 30 seconds
    And lease A reserved 1 of "slots"
    And lease A completed
    When lease A reserves 1 of "slots"
    Then the reserve is denied with error "lease_completed" and a retry hint of 0 ms
    And "slots" shows 0 held and 1 available

  Scenario: A conflict is reported before completion
    Given a concurrency limit "slots" of 2 with a timeout of 30 seconds
    And lease A reserved 1 of "slots"
    And lease A completed
    When lease A reserves 2 of "slots"
    Then the reserve is denied with error "lease_conflict" and a retry hint of 0 ms

  @simulated-time
  Scenario: A lease whose hold has expired cannot be reserved again
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 3 of "tokens"
    When it is 59999 milliseconds after the start
    And lease A reserves 3 of "tokens"
    Then the reserve is allowed, reserved at 0 milliseconds after the start
    When 1 millisecond passes
    And lease A reserves 3 of "tokens"
    Then the reserve is denied with error "lease_expired" and a retry hint of 0 ms
    And "tokens" shows 0 held and 10 available

  @simulated-time
  Scenario: A lease expires with its first hold to end
    Given a rolling limit "minute" of 10 per 60 seconds
    And a rolling limit "second" of 10 per 1 second
    And lease A reserved 1 of "minute" and 1 of "second"
    When 1 second passes
    And lease A reserves 1 of "minute" and 1 of "second"
    Then the reserve is denied with error "lease_expired" and a retry hint of 0 ms
    And "minute" shows 1 held and 9 available
    And "second" shows 0 held and 10 available

  @simulated-time
  Scenario: A denied lease gets the same answer again, even once there is room
    Given a rolling limit "requests" of 1 per 60 seconds
    And lease A reserved 1 of "requests"
    And lease B was denied 1 of "requests"
    When 61 seconds pass
    And lease B reserves 1 of "requests"
    Then the reserve is denied with the same answer as the first time
    And "requests" shows 0 held and 1 available

  Scenario: A denied lease gets the same answer again right away
    Given a rolling limit "requests" of 1 per 60 seconds
    And lease A reserved 1 of "requests"
    And lease B was denied 1 of "requests"
    When lease B reserves 1 of "requests"
    Then the reserve is denied with the same answer as the first time

  Scenario: A lease refused for an unknown key can be used once the limit exists
    When lease A reserves 1 of "later"
    Then the reserve is denied with error "unknown_limit_key:later" and a retry hint of 0 ms
    Given a rolling limit "later" of 5 per 60 seconds
    When lease A reserves 1 of "later"
    Then the reserve is allowed

  Scenario: A lease refused as impossible can be used once the limit is raised
    Given a rolling limit "tokens" of 5 per 60 seconds
    When lease A reserves 10 of "tokens"
    Then the reserve is denied with error "exceeds_capacity:tokens" and a retry hint of 0 ms
    When the capacity of "tokens" is changed to 10
    And lease A reserves 10 of "tokens"
    Then the reserve is allowed
    And "tokens" shows 10 held and 0 available

  Scenario: A lease refused while a limit decreases can be used once the decrease is cancelled
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 8 of "tokens"
    And the capacity of "tokens" was changed to 5
    When lease B reserves 1 of "tokens"
    Then the reserve is denied with error "limit_decreasing:tokens" and a retry hint of 10000 ms
    When the capacity of "tokens" is changed to 10
    And lease B reserves 1 of "tokens"
    Then the reserve is allowed
