Feature: Malformed requests are refused with the field and the rule
  A request that breaks a rule is refused as "invalid_request" with a detail naming the field
  and the rule it broke, "<field>: <rule>". Nothing is rounded, clamped or guessed, and a
  refused request changes nothing.

  Background:
    Given a rolling limit "tokens" of 100 per 60 seconds

  Scenario Outline: A malformed reserve is refused: <case>
    When this reserve is sent: <body>
    Then the reserve is refused as invalid with detail "<detail>"
    And "tokens" shows 0 held and 100 available

    Examples:
      | case                     | body                                                                                                    | detail                                                                                    |
      | lease id not a ULID      | {"lease_id": "not-a-ulid", "requirements": [{"key": "tokens", "amount": 1}]}                             | lease_id: must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)     |
      | lease id in lower case   | {"lease_id": "01j0000000000000000000000a", "requirements": [{"key": "tokens", "amount": 1}]}             | lease_id: must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)     |
      | lease id above 128 bits  | {"lease_id": "81J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": 1}]}             | lease_id: must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)     |
      | no requirements          | {"lease_id": "01J0000000000000000000000A", "requirements": []}                                           | requirements: must be an array of 1 to 32 requirements                                    |
      | requirements missing     | {"lease_id": "01J0000000000000000000000A"}                                                               | requirements: must be an array of 1 to 32 requirements                                    |
      | amount zero              | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": 0}]}             | requirements[0].amount: must be an integer from 1 to 9007199254740991                     |
      | amount negative          | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": -1}]}            | requirements[0].amount: must be an integer from 1 to 9007199254740991                     |
      | amount a fraction        | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": 1.5}]}           | requirements[0].amount: must be an integer from 1 to 9007199254740991                     |
      | amount a string          | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": "2"}]}           | requirements[0].amount: must be an integer from 1 to 9007199254740991                     |
      | amount 2^53              | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": 9007199254740992}]} | requirements[0].amount: must be an integer from 1 to 9007199254740991                  |
      | amount missing           | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens"}]}                          | requirements[0].amount: must be an integer from 1 to 9007199254740991                     |
      | second amount bad        | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": 1}, {"key": "x", "amount": 0}]} | requirements[1].amount: must be an integer from 1 to 9007199254740991      |
      | key with a space         | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "my tokens", "amount": 1}]}          | requirements[0].key: must be 1 to 256 printable ASCII characters without whitespace       |
      | key empty                | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "", "amount": 1}]}                   | requirements[0].key: must be 1 to 256 printable ASCII characters without whitespace       |
      | key not ASCII            | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tökens", "amount": 1}]}             | requirements[0].key: must be 1 to 256 printable ASCII characters without whitespace       |
      | key twice                | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": 1}, {"key": "tokens", "amount": 2}]} | requirements[1].key: must not repeat the key of an earlier item |
      | misspelt field           | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amout": 1}]}              | requirements[0].amout: is not a known field                                               |
      | unknown top-level field  | {"lease_id": "01J0000000000000000000000A", "requirements": [{"key": "tokens", "amount": 1}], "priority": 1} | priority: is not a known field                                                         |
      | job id not a string      | {"lease_id": "01J0000000000000000000000A", "job_id": 7, "requirements": [{"key": "tokens", "amount": 1}]} | job_id: must be a string of at most 256 characters                                     |

  Scenario: A reserve of 33 keys is refused
    When lease A reserves 1 of each of "key-1" to "key-33"
    Then the reserve is refused as invalid with detail:
      """
      requirements: must be an array of 1 to 32 requirements
      """

  Scenario Outline: A malformed complete is refused: <case>
    Given lease A reserved 10 of "tokens"
    When this complete is sent: <body>
    Then the complete is refused as invalid with detail "<detail>"
    And "tokens" shows 10 held and 90 available

    Examples:
      | case                    | body                                                                                                   | detail                                                                                 |
      | lease id not a ULID     | {"lease_id": "lease-a", "actuals": []}                                                                 | lease_id: must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)  |
      | actuals missing         | {"lease_id": "01J0000000000000000000000A"}                                                             | actuals: must be an array of 0 to 32 actuals                                           |
      | actual negative         | {"lease_id": "01J0000000000000000000000A", "actuals": [{"key": "tokens", "actual_amount": -1}]}        | actuals[0].actual_amount: must be an integer from 0 to 9007199254740991                |
      | actual a fraction       | {"lease_id": "01J0000000000000000000000A", "actuals": [{"key": "tokens", "actual_amount": 2.5}]}       | actuals[0].actual_amount: must be an integer from 0 to 9007199254740991                |
      | actual named amount     | {"lease_id": "01J0000000000000000000000A", "actuals": [{"key": "tokens", "amount": 5}]}                | actuals[0].amount: is not a known field                                                |
      | actual key twice        | {"lease_id": "01J0000000000000000000000A", "actuals": [{"key": "tokens", "actual_amount": 1}, {"key": "tokens", "actual_amount": 1}]} | actuals[1].key: must not repeat the key of an earlier item |

  Scenario Outline: A malformed limit definition is refused: <case>
    When this limit definition is sent: <body>
    Then the change is refused as invalid with detail '<detail>'
    And the limit "new" is not found

    Examples:
      | case                         | body                                                                                           | detail                                                                |
      | unknown kind                 | {"key": "new", "kind": "bursty", "capacity": 1, "window_seconds": 60}                          | kind: must be "rolling" or "concurrency"                              |
      | negative capacity            | {"key": "new", "kind": "rolling", "capacity": -1, "window_seconds": 60}                        | capacity: must be an integer from 0 to 9007199254740991               |
      | fractional capacity          | {"key": "new", "kind": "rolling", "capacity": 1.5, "window_seconds": 60}                       | capacity: must be an integer from 0 to 9007199254740991               |
      | capacity a string            | {"key": "new", "kind": "rolling", "capacity": "10", "window_seconds": 60}                      | capacity: must be an integer from 0 to 9007199254740991               |
      | window of 0                  | {"key": "new", "kind": "rolling", "capacity": 1, "window_seconds": 0}                          | window_seconds: must be an integer from 1 to 4294967295               |
      | window beyond u32            | {"key": "new", "kind": "rolling", "capacity": 1, "window_seconds": 4294967296}                 | window_seconds: must be an integer from 1 to 4294967295               |
      | rolling without window       | {"key": "new", "kind": "rolling", "capacity": 1}                                               | window_seconds: is required for rolling limits                        |
      | rolling with timeout         | {"key": "new", "kind": "rolling", "capacity": 1, "window_seconds": 60, "timeout_seconds": 5}   | timeout_seconds: is only for concurrency limits                       |
      | concurrency without timeout  | {"key": "new", "kind": "concurrency", "capacity": 1}                                           | timeout_seconds: is required for concurrency limits                   |
      | concurrency with window      | {"key": "new", "kind": "concurrency", "capacity": 1, "timeout_seconds": 5, "window_seconds": 5} | window_seconds: is only for rolling limits                           |
      | unknown overage              | {"key": "new", "kind": "rolling", "capacity": 1, "window_seconds": 60, "overage": "allow"}     | overage: must be "deny" or "debt"                                     |
      | misspelt field               | {"key": "new", "kind": "rolling", "capacity": 1, "window_seconds": 60, "overrage": "deny"}     | overrage: is not a known field                                        |

  Scenario: A key with whitespace cannot be defined
    When this limit definition is sent:
      """
      {"key": "my key", "kind": "rolling", "capacity": 1, "window_seconds": 60}
      """
    Then the change is refused as invalid with detail:
      """
      key: must be 1 to 256 printable ASCII characters without whitespace
      """
