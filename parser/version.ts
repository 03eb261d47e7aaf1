// Bump on every change that can alter what is read from a document: the store re-reads
// stored documents when the version differs.
export const PARSER_VERSION = '1.0.0';
export const PARSER = `nianbao ${PARSER_VERSION}`;
