/* DOC: the okapi version, printed by okapid --version and show version. */
#ifndef OKAPI_VERSION_H
#define OKAPI_VERSION_H
#define OKAPI_VERSION "0.1.0"
#endif
