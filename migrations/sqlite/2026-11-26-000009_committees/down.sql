DROP TABLE committee_members;
DROP TABLE committees;
