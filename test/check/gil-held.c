// RUN: %expect-exit 1 %stallhound check %s -- -I%python_include 2>&1 | %FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// C10/S9: functions CPython calls (a PyMethodDef table, type slots) run with
// the GIL held; a blocking call there freezes every Python thread unless it is
// made between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <time.h>
#include <unistd.h>

static void wait_for_device(void) { usleep(1000); }

static PyObject *slow_sleep(PyObject *self, PyObject *arg) {
  sleep(1);
  // CHECK: gil-held.c:[[@LINE-1]]:3: warning: 'sleep' blocks while holding the GIL, which stops every Python thread (sleep) in 'slow_sleep' [stallhound-gil-held]
  wait_for_device();
  // CHECK: gil-held.c:[[@LINE-1]]:3: warning: 'usleep' blocks while holding the GIL{{.*}} in 'slow_sleep' through 'wait_for_device' [stallhound-gil-held]
  Py_RETURN_NONE;
}

static PyObject *read_config(PyObject *self, PyObject *args) {
  char buf[64];
  int fd = 0;
  ssize_t n = read(fd, buf, sizeof buf);
  // CHECK: gil-held.c:[[@LINE-1]]:15: warning: 'read' blocks while holding the GIL{{.*}}(file-io) in 'read_config'
  return PyLong_FromSsize_t(n);
}

// Negative: shaped like CPython's own time.sleep (Modules/timemodule.c).
static int pysleep(struct timespec *deadline) {
  int ret;
  Py_BEGIN_ALLOW_THREADS
  ret = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline, NULL);
  Py_END_ALLOW_THREADS
  return ret;
}

static PyObject *time_sleep(PyObject *self, PyObject *timeout_obj) {
  struct timespec deadline = {0, 0};
  if (pysleep(&deadline) != 0)
    return NULL;
  Py_RETURN_NONE;
}

// Negative: the helper releases the GIL itself, around the call.
static PyObject *polite_wait(PyObject *self, PyObject *arg) {
  PyThreadState *state = PyEval_SaveThread();
  wait_for_device();
  PyEval_RestoreThread(state);
  Py_RETURN_NONE;
}

// Negative (C11): blocking code no Python table reaches.
void offline_tool(void) { sleep(5); }

static PyMethodDef demo_methods[] = {
    {"slow_sleep", slow_sleep, METH_O, NULL},
    {"read_config", read_config, METH_NOARGS, NULL},
    {"sleep", time_sleep, METH_O, NULL},
    {"polite_wait", polite_wait, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef demo_module = {PyModuleDef_HEAD_INIT, "demo", NULL,
                                         -1, demo_methods};

PyMODINIT_FUNC PyInit_demo(void) { return PyModule_Create(&demo_module); }
