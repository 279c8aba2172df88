DROP TABLE scheme_figures;
