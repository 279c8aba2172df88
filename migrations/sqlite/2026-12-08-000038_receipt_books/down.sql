DROP TABLE receipt_leaves;
DROP TABLE receipt_books;
