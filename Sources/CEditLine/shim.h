#ifndef PFS_CEDITLINE_SHIM_H
#define PFS_CEDITLINE_SHIM_H
#include <stdio.h>
#include <histedit.h>   /* libedit's native API (what LLDB uses), not the readline emulation */

/* el_set, el_get and history are C variadics, which Swift cannot call: one typed wrapper per option. */
static inline int pfs_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int pfs_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int pfs_el_set_prompt(EditLine *el, char *(*fn)(EditLine *)) { return el_set(el, EL_PROMPT, fn); }
static inline int pfs_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *pfs_el_get_clientdata(EditLine *el) { void *d = NULL; el_get(el, EL_CLIENTDATA, &d); return d; }
static inline int pfs_el_add_function(EditLine *el, const char *name, const char *help,
                                      unsigned char (*fn)(EditLine *, int)) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int pfs_el_bind(EditLine *el, const char *key, const char *fn_name) {
    return el_set(el, EL_BIND, key, fn_name, NULL);
}
/* EL_HIST wants the variadic `history` function itself: only C can name it. */
static inline int pfs_el_use_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

static inline int pfs_history_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int pfs_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int pfs_history_clear(History *h) { HistEvent ev; return history(h, &ev, H_CLEAR); }
#endif
