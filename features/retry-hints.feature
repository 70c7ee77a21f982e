Feature: Retry hints tell a denied caller when to try again
  A reserve denied for lack of room carries retry_after_ms from the failing limit's policy:
  floor(min(cap, base · factor^streak)) plus a whole-number jitter drawn from [0, jitter_ms],
  where streak counts that limit's denials since it was last part of an allowed reserve.
  Rolling limits: base = max(100, a tenth of the window), factor 1.5, cap 5000, jitter 50.
  Concurrency limits: base 50, factor 2, cap min(2000, the timeout), jitter 25.
  Answers that waiting cannot change carry 0; a decreasing limit carries 10000.

  Scenario: With a seeded jitter source the hints are exact
    # Seed 7 draws the jitters 39, 11, 38, 8 from [0, 50].
    Given retry jitter is drawn from seed 7
    And a rolling limit "requests" of 1 per 1 second
    And lease A reserved 1 of "requests"
    When lease B reserves 1 of "requests"
    Then the reserve is denied for capacity
    And the retry hint is 139 ms
    When lease C reserves 1 of "requests"
    Then the retry hint is 161 ms
    When lease D reserves 1 of "requests"
    Then the retry hint is 263 ms
    When lease E reserves 1 of "requests"
    Then the retry hint is 345 ms

  Scenario: Rolling hints grow by half with each denial in a row
    Given a rolling limit "requests" of 1 per 10 seconds
    And lease A reserved 1 of "requests"
    When lease B reserves 1 of "requests"
    Then the retry hint is between 1000 and 1050 ms
    When lease C reserves 1 of "requests"
    Then the retry hint is between 1500 and 1550 ms
    When lease D reserves 1 of "requests"
    Then the retry hint is between 2250 and 2300 ms
    When lease E reserves 1 of "requests"
    Then the retry hint is between 3375 and 3425 ms
    When lease F reserves 1 of "requests"
    Then the retry hint is between 5000 and 5050 ms

  Scenario: A long window's hint is the cap from the first denial
    Given a rolling limit "daily" of 1 per 86400 seconds
    And lease A reserved 1 of "daily"
    When lease B reserves 1 of "daily"
    Then the retry hint is between 5000 and 5050 ms
    When lease C reserves 1 of "daily"
    Then the retry hint is between 5000 and 5050 ms

  Scenario: Concurrency hints double with each denial in a row
    Given a concurrency limit "slots" of 1 with a timeout of 30 seconds
    And lease A reserved 1 of "slots"
    When lease B reserves 1 of "slots"
    Then the retry hint is between 50 and 75 ms
    When lease C reserves 1 of "slots"
    Then the retry hint is between 100 and 125 ms
    When lease D reserves 1 of "slots"
    Then the retry hint is between 200 and 225 ms
    When lease E reserves 1 of "slots"
    Then the retry hint is between 400 and 425 ms

  Scenario: Concurrency hints never exceed the timeout
    Given a concurrency limit "slots" of 1 with a timeout of 1 second
    And lease A reserved 1 of "slots"
    When leases B1 to B5 each reserve 1 of "slots"
    Then the retry hint is between 800 and 825 ms
    When lease C reserves 1 of "slots"
    Then the retry hint is between 1000 and 1025 ms
    When lease D reserves 1 of "slots"
    Then the retry hint is between 1000 and 1025 ms

  Scenario: An allowed reserve starts the streak again
    Given a concurrency limit "slots" of 1 with a timeout of 30 seconds
    And lease A reserved 1 of "slots"
    And lease B was denied 1 of "slots"
    And lease C was denied 1 of "slots"
    And the retry hint is between 100 and 125 ms
    And lease A completed
    When lease D reserves 1 of "slots"
    Then the reserve is allowed
    When lease E reserves 1 of "slots"
    Then the retry hint is between 50 and 75 ms

  Scenario: A denied lease sent again repeats its hint and does not lengthen the streak
    Given a concurrency limit "slots" of 1 with a timeout of 30 seconds
    And lease A reserved 1 of "slots"
    And lease B was denied 1 of "slots"
    When lease B reserves 1 of "slots"
    Then the reserve is denied with the same answer as the first time
    When lease C reserves 1 of "slots"
    Then the retry hint is between 100 and 125 ms

  Scenario Outline: Answers that waiting cannot change carry no hint: <case>
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 10 of "tokens"
    When lease B reserves <requirements>
    Then the reserve is denied with error "<error>" and a retry hint of 0 ms

    Examples:
      | case        | requirements    | error                    |
      | unknown key | 1 of "ghost"    | unknown_limit_key:ghost  |
      | too large   | 11 of "tokens"  | exceeds_capacity:tokens  |
