// Stands in for Boost.Asio's header: like the real one, it hides the
// coroutine API unless BOOST_ASIO_HAS_CO_AWAIT is defined.
#pragma once
#include <boost/version.hpp>
#ifndef BOOST_ASIO_HAS_CO_AWAIT
#error "asio's coroutine API is hidden"
#endif
