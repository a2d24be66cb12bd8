--- KEYS: ready, processing, sequence. ARGV: job key prefix, worker, channel.
--- Returns false when the list is empty, 'stray' when only stale ids came (dropped), {id, hash} for a job.
return take_next(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3])
