Feature: Which reserves are allowed
  A reserve is checked in a fixed order: a replayed lease, then keys nobody defined, then
  limits being decreased, then amounts no limit could ever give, then room. The first problem
  found is the answer, naming the first offending key in the order the reserve listed them.

  Scenario: A reserve that fits is allowed and holds what it asked
    Given a rolling limit "tokens" of 1000 per 60 seconds
    When lease A reserves 400 of "tokens"
    Then the reserve is allowed
    And the retry hint is 0 ms
    And "tokens" shows 400 held and 600 available

  Scenario: A reserve that exactly fills a limit is allowed, the next one is not
    Given a rolling limit "tokens" of 1000 per 60 seconds
    When lease A reserves 1000 of "tokens"
    Then the reserve is allowed
    When lease B reserves 1 of "tokens"
    Then the reserve is denied for capacity
    And "tokens" shows 1000 held and 0 available

  Scenario: A concurrency hold counts its amount, not one
    Given a concurrency limit "gpu-slots" of 5 with a timeout of 60 seconds
    When lease A reserves 3 of "gpu-slots"
    Then the reserve is allowed
    And "gpu-slots" shows 3 held and 2 available
    When lease B reserves 3 of "gpu-slots"
    Then the reserve is denied for capacity

  Scenario: An unknown key is named, the first one in request order
    Given a rolling limit "known" of 10 per 60 seconds
    When lease A reserves 1 of "known", 1 of "ghost" and 1 of "phantom"
    Then the reserve is denied with error "unknown_limit_key:ghost" and a retry hint of 0 ms
    And "known" shows 0 held and 10 available

  Scenario: An amount above the capacity is impossible, named by its first key
    Given a rolling limit "small" of 5 per 60 seconds
    And a rolling limit "tiny" of 1 per 60 seconds
    And a rolling limit "large" of 100 per 60 seconds
    When lease A reserves 50 of "large", 6 of "small" and 2 of "tiny"
    Then the reserve is denied with error "exceeds_capacity:small" and a retry hint of 0 ms
    And "large" shows 0 held and 100 available

  Scenario: A capacity of 0 blocks every reserve
    Given a rolling limit "kill-switch" of 0 per 60 seconds
    When lease A reserves 1 of "kill-switch"
    Then the reserve is denied with error "exceeds_capacity:kill-switch" and a retry hint of 0 ms

  Scenario: An unknown key is reported before a decreasing or impossible one
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease Z reserved 8 of "tokens"
    And the capacity of "tokens" was changed to 5
    When lease A reserves 50 of "tokens" and 1 of "ghost"
    Then the reserve is denied with error "unknown_limit_key:ghost" and a retry hint of 0 ms

  Scenario: A decreasing key is reported before an impossible amount
    Given a rolling limit "tokens" of 10 per 60 seconds
    And a rolling limit "small" of 1 per 60 seconds
    And lease Z reserved 8 of "tokens"
    And the capacity of "tokens" was changed to 5
    When lease A reserves 5 of "small" and 1 of "tokens"
    Then the reserve is denied with error "limit_decreasing:tokens" and a retry hint of 10000 ms

  Scenario: Only the first full limit in request order decides the denial
    Given a rolling limit "first" of 1 per 10 seconds
    And a rolling limit "second" of 1 per 10 seconds
    And lease A reserved 1 of "first" and 1 of "second"
    When lease B reserves 1 of "second" and 1 of "first"
    Then the reserve is denied for capacity
    # Only "second" was charged with the denial, so the next denial on "first" is its first:
    # the base of a 10 second window (1000 ms) plus up to 50 ms of jitter.
    When lease C reserves 1 of "first"
    Then the retry hint is between 1000 and 1050 ms
    When lease D reserves 1 of "second"
    Then the retry hint is between 1500 and 1550 ms

  Scenario: A reserve of up to 32 keys is all or nothing
    Given rolling limits "key-1" to "key-32" of 5 per 60 seconds each
    And lease A reserved 5 of "key-32"
    When lease B reserves 1 of each of "key-1" to "key-32"
    Then the reserve is denied for capacity
    And "key-1" shows 0 held and 5 available
    And "key-31" shows 0 held and 5 available
    When lease C reserves 1 of each of "key-1" to "key-31"
    Then the reserve is allowed
    And "key-31" shows 1 held and 4 available
