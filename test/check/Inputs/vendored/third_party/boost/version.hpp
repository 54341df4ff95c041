// A vendored Boost older than 1.77, as projects ship it under third_party/.
#define BOOST_VERSION 107300
