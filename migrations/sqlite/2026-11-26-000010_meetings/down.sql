DROP TABLE meeting_attendance;
DROP TABLE meeting_agenda;
DROP TABLE meetings;
