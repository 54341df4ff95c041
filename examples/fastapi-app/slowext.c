// A CPython extension with the bug of scenario S9: sleep_holding_gil blocks
// without releasing the GIL, so every Python thread freezes with it;
// sleep_releasing_gil is the correct version.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <time.h>

static void sleepMilliseconds(long Ms) {
  struct timespec Delay = {Ms / 1000, (Ms % 1000) * 1000000L};
  while (nanosleep(&Delay, &Delay) != 0) {
  }
}

static PyObject *sleepHoldingGil(PyObject *Self, PyObject *Args) {
  long Ms;
  if (!PyArg_ParseTuple(Args, "l", &Ms))
    return NULL;
  sleepMilliseconds(Ms);
  Py_RETURN_NONE;
}

static PyObject *sleepReleasingGil(PyObject *Self, PyObject *Args) {
  long Ms;
  if (!PyArg_ParseTuple(Args, "l", &Ms))
    return NULL;
  Py_BEGIN_ALLOW_THREADS sleepMilliseconds(Ms);
  Py_END_ALLOW_THREADS Py_RETURN_NONE;
}

static PyMethodDef SlowextMethods[] = {
    {"sleep_holding_gil", sleepHoldingGil, METH_VARARGS,
     "Sleeps while holding the GIL (a bug)."},
    {"sleep_releasing_gil", sleepReleasingGil, METH_VARARGS,
     "Sleeps with the GIL released."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef SlowextModule = {PyModuleDef_HEAD_INIT, "slowext",
                                           NULL, -1, SlowextMethods};

PyMODINIT_FUNC PyInit_slowext(void) { return PyModule_Create(&SlowextModule); }
