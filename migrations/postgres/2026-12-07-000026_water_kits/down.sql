DROP TRIGGER sampling_points_figures ON sampling_points;
DROP TRIGGER water_samples_figures ON water_samples;
DROP INDEX water_samples_kit_batch;
DROP TABLE water_kit_batches;
