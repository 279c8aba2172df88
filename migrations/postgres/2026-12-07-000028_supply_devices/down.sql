DROP TABLE supply_watch;
DROP TABLE supply_readings;
DROP TABLE supply_devices;
