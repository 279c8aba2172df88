DROP TABLE har_ghar_jal_documents;
DROP TABLE har_ghar_jal;
