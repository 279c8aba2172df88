DROP TABLE work_photos;
