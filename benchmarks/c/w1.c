/* W1 reference: GD on f(x) = x^8 + 0.5 x^2 from x0 = 3.0, h = 1e-6, eps = 0, a fixed
 * number of iterations. The same arithmetic as the lab's generated fg (Horner form,
 * _ipow by repeated squaring) and the same loop as synthetic.kernels.iterate_1d with an
 * empty trajectory buffer: finiteness checks, gmax, the log-spaced record counter, the
 * eps and max_iter tests and the monotone flag. Compile with -ffp-contract=off so that
 * no multiply-add is fused (numba does not fuse either), which keeps the results bit
 * for bit equal to the lab's.
 *
 * usage: w1 ITERATIONS REPEATS    prints one line per repeat: seconds status k x_final(%a)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline void fg(double x, double *f, double *g) {
    double x2 = x * x;         /* _ipow(x, 2) */
    double c0 = x2 * (x2 * x2); /* _ipow(x, 6) = x^2 * x^4 */
    *f = x2 * (c0 + 0.5);
    *g = x * (8.0 * c0 + 1.0);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
    long max_iter = argc > 1 ? atol(argv[1]) : 50000000L;
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    volatile double h_in = 1e-6, x0_in = 3.0, eps_in = 0.0; /* not constant-folded */
    for (int r = 0; r < repeats; r++) {
        double h = h_in, eps = eps_in, x = x0_in, f, g;
        double t0 = now();
        fg(x, &f, &g);
        double gn = fabs(g), fprev = f, gmax = 0.0;
        int monotone = 1, status;
        long k = 0, nxt = 0;
        for (;;) {
            if (!(isfinite(gn) && isfinite(f))) { status = 1; break; }
            if (gn > gmax) gmax = gn;
            if (k == nxt) { long a = k + 1, b = (long)(k * 1.05); nxt = a > b ? a : b; }
            if (gn <= eps) { status = 0; break; }
            if (k == max_iter) { status = 2; break; }
            x = x - h * g;
            fg(x, &f, &g);
            gn = fabs(g);
            if (!(f <= fprev)) monotone = 0;
            fprev = f;
            k++;
        }
        double dt = now() - t0;
        printf("%.9f %d %ld %a %a %d\n", dt, status, k, x, gmax, monotone);
    }
    return 0;
}
