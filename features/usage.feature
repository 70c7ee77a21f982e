Feature: Reading a limit's usage
  Anyone can read a limit: its definition, its status, a pending decrease, and its usage now:
  what is held, what is available, and the debt run up by using more than was reserved.

  Scenario: A limit reads back as it was defined
    When a concurrency limit "gpu" of 8 with a timeout of 120 seconds is defined
    Then the limit "gpu" reads:
      | kind                | concurrency |
      | capacity            | 8           |
      | timeout_seconds     | 120         |
      | overage             | debt        |
      | status              | active      |
      | pending_decrease_to |             |
      | held                | 0           |
      | available           | 8           |
      | debt                | 0           |

  Scenario: Unit and description are kept as written
    When this limit definition is sent:
      """
      {
        "key": "tpm",
        "kind": "rolling",
        "capacity": 30000,
        "window_seconds": 60,
        "unit": "tokens",
        "description": "gpt-4o tokens per minute",
        "overage": "deny"
      }
      """
    Then the change is answered with status "active"
    And the limit "tpm" reads:
      | unit        | tokens                   |
      | description | gpt-4o tokens per minute |
      | overage     | deny                     |
      | capacity    | 30000                    |

  Scenario: A key nobody defined is not found
    Then the limit "nobody" is not found

  Scenario: Usage follows reserves and completes
    Given a rolling limit "tokens" of 1000 per 60 seconds
    And a concurrency limit "slots" of 4 with a timeout of 30 seconds
    When lease A reserves 300 of "tokens" and 1 of "slots"
    And lease B reserves 200 of "tokens" and 2 of "slots"
    Then "tokens" shows 500 held, 500 available and a debt of 0
    And "slots" shows 3 held and 1 available
    When lease A completes with 100 of "tokens"
    Then "tokens" shows 300 held and 700 available
    And "slots" shows 2 held and 2 available
    When lease B completes with 450 of "tokens"
    Then "tokens" shows 550 held and 450 available
    And "slots" shows 0 held and 4 available

  Scenario: Reading a limit changes nothing
    Given a rolling limit "tokens" of 10 per 60 seconds
    And lease A reserved 4 of "tokens"
    Then "tokens" shows 4 held and 6 available
    And "tokens" shows 4 held and 6 available
    When lease B reserves 6 of "tokens"
    Then the reserve is allowed

  Scenario: The largest capacity reads exactly
    Given a rolling limit "huge" of 9007199254740991 per 60 seconds
    When lease A reserves 9007199254740990 of "huge"
    Then the reserve is allowed
    And "huge" shows 9007199254740990 held and 1 available
