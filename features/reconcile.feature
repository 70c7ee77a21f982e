Feature: Completing a lease with what was really used
  A complete tells the limiter how much each call really used. What was reserved but not used
  comes back at once; what is still counted keeps counting until the end of its window, rounded
  up to a whole second after the complete. Using more than reserved is held too when there is
  room, and otherwise becomes a debt on limits whose overage is "debt".

  @simulated-time
  Scenario: Unused tokens come back at once and the rest stays until the rounded window end
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 100 of "tokens"
    And 10500 milliseconds pass
    When lease A completes with 40 of "tokens"
    Then the complete is ok
    And "tokens" shows 40 held and 60 available
    # 49.5 seconds were left; the rest is held for 50 whole seconds from the complete.
    When it is 60499 milliseconds after the start
    Then "tokens" shows 40 held and 60 available
    When 1 millisecond passes
    Then "tokens" shows 0 held and 100 available

  @simulated-time
  Scenario: A complete that lands on a whole second left keeps the original window end
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 100 of "tokens"
    And 10 seconds pass
    When lease A completes with 30 of "tokens"
    Then "tokens" shows 30 held and 70 available
    When it is 59999 milliseconds after the start
    Then "tokens" shows 30 held and 70 available
    When 1 millisecond passes
    Then "tokens" shows 0 held and 100 available

  Scenario: Using nothing gives everything back
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 70 of "tokens"
    When lease A completes with 0 of "tokens"
    Then the complete is ok
    And "tokens" shows 0 held and 100 available

  @simulated-time
  Scenario: Using exactly what was reserved changes nothing
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 70 of "tokens"
    And 10500 milliseconds pass
    When lease A completes with 70 of "tokens"
    Then "tokens" shows 70 held and 30 available
    When it is 59999 milliseconds after the start
    Then "tokens" shows 70 held and 30 available
    When 1 millisecond passes
    Then "tokens" shows 0 held and 100 available

  @simulated-time
  Scenario: Overage is held when there is room, until the rounded window end
    Given a rolling limit "tokens" of 200 per 60 seconds
    And lease A reserved 100 of "tokens"
    And 10500 milliseconds pass
    When lease A completes with 150 of "tokens"
    Then the complete is ok
    And "tokens" shows 150 held, 50 available and a debt of 0
    # The reserved 100 keeps its own window; the extra 50 ends 50 whole seconds after the complete.
    When it is 59999 milliseconds after the start
    Then "tokens" shows 150 held and 50 available
    When 1 millisecond passes
    Then "tokens" shows 50 held and 150 available
    When it is 60499 milliseconds after the start
    Then "tokens" shows 50 held and 150 available
    When 1 millisecond passes
    Then "tokens" shows 0 held, 200 available and a debt of 0

  Scenario: Overage that does not fit becomes a debt, never a partial hold
    Given a rolling limit "tokens" of 120 per 60 seconds with overage debt
    And lease A reserved 100 of "tokens"
    When lease A completes with 150 of "tokens"
    Then the complete is ok
    And "tokens" shows 100 held, 20 available and a debt of 50

  Scenario: Overage that does not fit on a "deny" limit is neither held nor owed
    Given a rolling limit "tokens" of 100 per 60 seconds with overage deny
    And lease A reserved 100 of "tokens"
    When lease A completes with 150 of "tokens"
    Then the complete is ok
    And "tokens" shows 100 held, 0 available and a debt of 0

  Scenario: Overage that fits is held even on a "deny" limit
    Given a rolling limit "tokens" of 200 per 60 seconds with overage deny
    And lease A reserved 100 of "tokens"
    When lease A completes with 150 of "tokens"
    Then "tokens" shows 150 held, 50 available and a debt of 0

  @simulated-time
  Scenario: A complete after the window is over only records the debt
    Given a rolling limit "tokens" of 100 per 60 seconds with overage debt
    And lease A reserved 100 of "tokens"
    When 61 seconds pass
    And lease A completes with 150 of "tokens"
    Then the complete is ok
    And "tokens" shows 0 held, 100 available and a debt of 50

  @simulated-time
  Scenario: A late complete on a "deny" limit records nothing
    Given a rolling limit "tokens" of 100 per 60 seconds with overage deny
    And lease A reserved 100 of "tokens"
    When 60 seconds pass
    And lease A completes with 150 of "tokens"
    Then "tokens" shows 0 held, 100 available and a debt of 0

  Scenario: Debts add up across leases
    Given a rolling limit "tokens" of 20 per 60 seconds with overage debt
    And lease A reserved 10 of "tokens"
    And lease B reserved 10 of "tokens"
    When lease A completes with 25 of "tokens"
    And lease B completes with 17 of "tokens"
    Then "tokens" shows 20 held, 0 available and a debt of 22

  Scenario: A debt beyond 2^53 − 1 is kept exactly
    Given a rolling limit "tokens" of 2 per 60 seconds with overage debt
    And lease A reserved 1 of "tokens"
    And lease B reserved 1 of "tokens"
    When lease A completes with 9007199254740991 of "tokens"
    And lease B completes with 9007199254740991 of "tokens"
    Then "tokens" has a debt of 18014398509481980

  Scenario: Completing a concurrency lease frees it whatever amount is told
    Given a concurrency limit "slots" of 5 with a timeout of 30 seconds
    And lease A reserved 3 of "slots"
    When lease A completes with 99 of "slots"
    Then the complete is ok
    And "slots" shows 0 held, 5 available and a debt of 0

  Scenario: Actuals on keys the lease did not reserve are ignored
    Given a rolling limit "tokens" of 100 per 60 seconds
    And a rolling limit "other" of 100 per 60 seconds
    And a concurrency limit "slots" of 5 with a timeout of 30 seconds
    And lease A reserved 1 of "slots" and 10 of "tokens"
    When lease A completes with 10 of "tokens", 7 of "other" and 3 of "nowhere"
    Then the complete is ok
    And "slots" shows 0 held and 5 available
    And "tokens" shows 10 held and 90 available
    And "other" shows 0 held, 100 available and a debt of 0

  Scenario: Completing twice changes nothing the second time
    Given a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 50 of "tokens"
    And lease A completed with 20 of "tokens"
    When lease A completes with 0 of "tokens"
    Then the complete is ok
    And "tokens" shows 20 held and 80 available

  Scenario: Completing an unknown or denied lease is ok and changes nothing
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 10 of "tokens"
    And lease B was denied 5 of "tokens"
    When lease B completes with 0 of "tokens"
    Then the complete is ok
    When lease Z completes with 3 of "tokens"
    Then the complete is ok
    And "tokens" shows 10 held, 0 available and a debt of 0
