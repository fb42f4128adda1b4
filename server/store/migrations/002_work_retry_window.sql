-- Issue 8 "Retries": a work item failing with retryable errors is retried with
-- backoff for RETRY_HOURS (default 24 h) from its first failure, then
-- dead-lettered ('failed', keeping the last error). This is that first
-- failure, on the backend's injected clock; null while the item is not failing.
alter table work add column first_failed_at bigint;
