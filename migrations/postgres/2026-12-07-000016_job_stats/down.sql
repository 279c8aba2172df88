DROP TABLE job_stats;
