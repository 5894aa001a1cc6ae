#ifndef PFS_CNCURSES_SHIM_H
#define PFS_CNCURSES_SHIM_H
/* SwiftPM drops the .pc file's -D_XOPEN_SOURCE=600, so ask for the wide API explicitly. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <string.h>
#include <ncurses.h>

/* Macros Swift cannot import ("structure not supported" / "function like macros not supported"). */
static inline attr_t pfs_a_normal(void)  { return A_NORMAL; }
static inline attr_t pfs_a_bold(void)    { return A_BOLD; }
static inline attr_t pfs_a_dim(void)     { return A_DIM; }
static inline attr_t pfs_a_reverse(void) { return A_REVERSE; }
static inline attr_t pfs_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline int pfs_key_f(int n) { return KEY_F(n); }
static inline void pfs_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
/* ACS_* expand to acs_map['x'] (an incomplete array Swift calls an "invalid declaration"). */
static inline chtype pfs_acs_hline(void)    { return ACS_HLINE; }
static inline chtype pfs_acs_vline(void)    { return ACS_VLINE; }
static inline chtype pfs_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype pfs_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype pfs_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype pfs_acs_lrcorner(void) { return ACS_LRCORNER; }
static inline chtype pfs_acs_plus(void)     { return ACS_PLUS; }
/* stdscr/LINES/COLS are mutable C globals: Swift 6 rejects every reference
   ("not concurrency-safe because it involves shared mutable state") unless the
   import is @preconcurrency. A function accessor sidesteps it. */
static inline WINDOW *pfs_stdscr(void) { return stdscr; }
static inline int pfs_colors(void) { return COLORS; }
#include <langinfo.h>
static inline int pfs_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
#endif
