Feature: Holds end exactly when their time is up
  A hold made at instant t for s seconds counts until t + 1000·s milliseconds and not a
  millisecond longer: one millisecond before, it is still held; at that instant it is free.
  Rolling holds last window_seconds; concurrency holds last timeout_seconds unless their
  lease completes first.

  @simulated-time
  Scenario: A rolling hold is held 1 ms before its window ends and free at the end
    Given a rolling limit "requests" of 1 per 60 seconds
    And 250 milliseconds pass
    And lease A reserved 1 of "requests"
    When it is 60249 milliseconds after the start
    Then "requests" shows 1 held and 0 available
    When lease B reserves 1 of "requests"
    Then the reserve is denied for capacity
    When 1 millisecond passes
    Then "requests" shows 0 held and 1 available
    When lease C reserves 1 of "requests"
    Then the reserve is allowed, reserved at 60250 milliseconds after the start

  @simulated-time
  Scenario: A concurrency hold that is never completed ends at its timeout
    Given a concurrency limit "slots" of 2 with a timeout of 30 seconds
    And 700 milliseconds pass
    And lease A reserved 2 of "slots"
    When it is 30699 milliseconds after the start
    Then "slots" shows 2 held and 0 available
    When 1 millisecond passes
    Then "slots" shows 0 held and 2 available

  @simulated-time
  Scenario: Holds of one lease on two limits end at their own windows
    Given a rolling limit "minute" of 10 per 60 seconds
    And a rolling limit "second" of 10 per 1 second
    And lease A reserved 4 of "minute" and 4 of "second"
    When it is 999 milliseconds after the start
    Then "second" shows 4 held and 6 available
    When 1 millisecond passes
    Then "second" shows 0 held and 10 available
    And "minute" shows 4 held and 6 available
    When it is 60000 milliseconds after the start
    Then "minute" shows 0 held and 10 available

  @simulated-time
  Scenario: A sliding window frees each hold on its own schedule
    Given a rolling limit "requests" of 3 per 10 seconds
    And lease A reserved 1 of "requests"
    And 4 seconds pass
    And lease B reserved 2 of "requests"
    When it is 9999 milliseconds after the start
    Then "requests" shows 3 held and 0 available
    When 1 millisecond passes
    Then "requests" shows 2 held and 1 available
    When it is 14000 milliseconds after the start
    Then "requests" shows 0 held and 3 available

  Scenario: A short window frees its holds in real time too
    Given a rolling limit "burst" of 1 per 1 second
    And lease A reserved 1 of "burst"
    And lease B was denied 1 of "burst"
    When 2 seconds pass
    Then "burst" shows 0 held and 1 available
    When lease C reserves 1 of "burst"
    Then the reserve is allowed

  @simulated-time
  Scenario: Completing a lease after its concurrency hold timed out frees nothing of others
    Given a concurrency limit "slots" of 1 with a timeout of 10 seconds
    And lease A reserved 1 of "slots"
    And 10 seconds pass
    And lease B reserved 1 of "slots"
    When lease A completes
    Then the complete is ok
    And "slots" shows 1 held and 0 available

  @simulated-time
  Scenario: A clock that steps back does not bring an expired hold back
    Given a rolling limit "requests" of 1 per 60 seconds
    And lease A reserved 1 of "requests"
    And 60 seconds pass
    When the clock steps back 30 seconds
    Then "requests" shows 0 held and 1 available
    When lease B reserves 1 of "requests"
    Then the reserve is allowed, reserved at 60000 milliseconds after the start
    When lease A reserves 1 of "requests"
    Then the reserve is denied with error "lease_expired" and a retry hint of 0 ms
