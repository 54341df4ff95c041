// Listed twice in the database: parsed once, its error said once.
int broken( {
