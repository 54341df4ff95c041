#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <unistd.h>

static PyObject *slow_read(PyObject *self, PyObject *args) {
  usleep(1000); /* holds the GIL */
  Py_RETURN_NONE;
}

static PyMethodDef Methods[] = {
    {"slow_read", slow_read, METH_NOARGS, "reads slowly"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef Module = {PyModuleDef_HEAD_INIT, "fastio", NULL, -1,
                                    Methods};

PyMODINIT_FUNC PyInit_fastio(void) { return PyModule_Create(&Module); }
