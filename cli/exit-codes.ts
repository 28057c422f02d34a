/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** The input has errors (diagnostics, bad data, a failed run). */
export const EXIT_ERRORS = 1;
/** The command line itself is wrong (unknown option, missing argument). */
export const EXIT_USAGE = 2;
