Feature: Answers come back quickly
  A limiter sits in front of every model call, so its own answers must be quick. Each call
  below is timed with the wall clock from the moment it is made until its answer is back.

  Background:
    Given a rolling limit "tokens" of 1000000 per 60 seconds
    And a concurrency limit "slots" of 1000 with a timeout of 60 seconds

  Scenario: A reserve is answered within 200 milliseconds
    When lease A reserves 100 of "tokens" and 1 of "slots"
    Then the reserve is allowed
    And the response is returned within 200 milliseconds

  Scenario: A denied reserve is answered within 200 milliseconds
    Given lease A reserved 1000 of "slots"
    When lease B reserves 1 of "slots"
    Then the reserve is denied for capacity
    And the response is returned within 200 milliseconds

  Scenario: A complete is answered within 200 milliseconds
    Given lease A reserved 100 of "tokens" and 1 of "slots"
    When lease A completes with 70 of "tokens"
    Then the complete is ok
    And the response is returned within 200 milliseconds

  Scenario: A batch of 256 reserves is answered within 200 milliseconds
    When a batch of 256 leases each reserves 1 of "slots"
    Then the first 256 answers of the batch are allowed and the other 0 denied for capacity
    And the response is returned within 200 milliseconds

  Scenario: A usage read-out is answered within 200 milliseconds
    Given lease A reserved 100 of "tokens"
    When the usage of "tokens" is read
    Then the response is returned within 200 milliseconds

  Scenario: A limit change is answered within 200 milliseconds
    When the capacity of "tokens" is changed to 2000000
    Then the change is answered with status "active"
    And the response is returned within 200 milliseconds
