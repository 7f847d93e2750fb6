"""Congress elections: counting paper ballots by the Party's election rules."""
