// doctest's main for the one test executable; ctest runs each test case on its own.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
