Feature: Batches of reserves and completes
  A batch runs its items one after another in the order sent; each item sees what the items
  before it did, there is no all-or-nothing across items, and the answers come back in order.
  A malformed item is refused on its own and the others go on.

  Scenario: Later items see what earlier items hold
    Given a rolling limit "tokens" of 10 per 60 seconds
    When a batch reserves:
      | lease | requirements |
      | A     | 6 of "tokens" |
      | B     | 6 of "tokens" |
      | C     | 4 of "tokens" |
    Then the batch answers:
      | lease | allowed | error |
      | A     | true    |       |
      | B     | false   |       |
      | C     | true    |       |
    And "tokens" shows 10 held and 0 available

  Scenario: Items fail for their own reasons without stopping the others
    Given a rolling limit "tokens" of 10 per 60 seconds
    When a batch reserves:
      | lease | requirements   |
      | A     | 1 of "tokens"  |
      | B     | 11 of "tokens" |
      | C     | 1 of "ghost"   |
      | D     | 0 of "tokens"  |
      | E     | 2 of "tokens"  |
    Then the batch answers:
      | lease | allowed | error                   | detail                                                                 |
      | A     | true    |                         |                                                                        |
      | B     | false   | exceeds_capacity:tokens |                                                                        |
      | C     | false   | unknown_limit_key:ghost |                                                                        |
      | D     | false   | invalid_request         | requests[3].requirements[0].amount: must be an integer from 1 to 9007199254740991 |
      | E     | true    |                         |                                                                        |
    And "tokens" shows 3 held and 7 available

  Scenario: The same lease twice in one batch holds once
    Given a rolling limit "tokens" of 10 per 60 seconds
    When a batch reserves:
      | lease | requirements  |
      | A     | 4 of "tokens" |
      | A     | 4 of "tokens" |
      | A     | 5 of "tokens" |
    Then the batch answers:
      | lease | allowed | error          |
      | A     | true    |                |
      | A     | true    |                |
      | A     | false   | lease_conflict |
    And "tokens" shows 4 held and 6 available

  Scenario: A batch of completes frees each lease in order
    Given a concurrency limit "slots" of 3 with a timeout of 30 seconds
    And a rolling limit "tokens" of 100 per 60 seconds
    And lease A reserved 1 of "slots" and 50 of "tokens"
    And lease B reserved 2 of "slots" and 50 of "tokens"
    When a batch completes:
      | lease | actuals        |
      | A     | 10 of "tokens" |
      | B     | 60 of "tokens" |
      | Z     |                |
    Then every complete in the batch is ok
    And "slots" shows 0 held and 3 available
    And "tokens" shows 70 held, 30 available and a debt of 0

  Scenario: A batch fills a limit and answers every item
    Given a rolling limit "requests" of 200 per 60 seconds
    When a batch of 256 leases each reserves 1 of "requests"
    Then the first 200 answers of the batch are allowed and the other 56 denied for capacity
    And "requests" shows 200 held and 0 available
