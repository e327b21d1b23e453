// Server tests start real processes (PostgreSQL, Redis, Kestrel); run collections one at a time to keep the 2-core box sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
