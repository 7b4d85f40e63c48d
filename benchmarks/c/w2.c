/* W2 reference: GD on f(x) = x^8 + 0.5 x^2 from x0 = 1.5 with n step sizes
 * h_j = 1e-4 (1 + j/(n-1)), eps = 1e-12, max_iter iterations, LANES trajectories
 * interleaved in lock-step per block (the loop over lanes vectorizes), blocks spread
 * over the threads with OpenMP. Per lane, the same arithmetic and checks as the lab's
 * sweep engine (and synthetic.kernels.iterate_1d): finiteness, gmax, monotone flag,
 * eps and max_iter tests; a block stops when all its lanes have ended. Compile with
 * -ffp-contract=off (no fused multiply-add, as in numba).
 *
 * usage: w2 N MAX_ITER REPEATS   prints per repeat: seconds, number of lanes that ran
 * all MAX_ITER iterations, x_final of trajectory 0 and of trajectory N-1 (%a)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef LANES
#define LANES 16
#endif

static inline void fg(double x, double *f, double *g) {
    double x2 = x * x;
    double c0 = x2 * (x2 * x2);
    *f = x2 * (c0 + 0.5);
    *g = x * (8.0 * c0 + 1.0);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void block(long j0, long n, long max_iter, double eps, double *xo, long *ko, int *so) {
    double x[LANES], f[LANES], g[LANES], gn[LANES], gm[LANES], h[LANES];
    int mono[LANES], alive[LANES];
    int nalive = 0;
    for (int l = 0; l < LANES; l++) {
        long j = j0 + l < n ? j0 + l : n - 1;
        h[l] = 1e-4 * (1.0 + (double)j / (double)(n - 1));
        x[l] = 1.5;
        fg(x[l], &f[l], &g[l]);
        gn[l] = fabs(g[l]);
        gm[l] = gn[l] > 0.0 ? gn[l] : 0.0;
        mono[l] = 1;
        alive[l] = j0 + l < n;
        nalive += alive[l];
    }
    for (long k = 1;; k++) {
        int ev = 0;
        for (int l = 0; l < LANES; l++) {
            double xn = x[l] - h[l] * g[l], fn, gw;
            fg(xn, &fn, &gw);
            double gnn = fabs(gw);
            int ok = isfinite(gnn) & isfinite(fn);
            mono[l] = mono[l] & (fn <= f[l]);
            gm[l] = (ok & (gnn > gm[l])) ? gnn : gm[l];
            int e = (!ok) | (gnn <= eps) | (k == max_iter);
            x[l] = xn; f[l] = fn; g[l] = gw; gn[l] = gnn;
            ev |= e & alive[l];
        }
        if (!ev) continue;
        for (int l = 0; l < LANES; l++) {
            if (!alive[l]) continue;
            int st;
            if (!(isfinite(gn[l]) && isfinite(f[l]))) st = 1;
            else if (gn[l] <= eps) st = 0;
            else if (k == max_iter) st = 2;
            else continue;
            xo[j0 + l] = x[l]; ko[j0 + l] = k; so[j0 + l] = st;
            alive[l] = 0;
            nalive--;
        }
        if (nalive == 0) return;
    }
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 4096;
    long max_iter = argc > 2 ? atol(argv[2]) : 100000;
    int repeats = argc > 3 ? atoi(argv[3]) : 5;
    double *xo = malloc(n * sizeof(double));
    long *ko = malloc(n * sizeof(long));
    int *so = malloc(n * sizeof(int));
    long nblocks = (n + LANES - 1) / LANES;
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
#pragma omp parallel for schedule(dynamic, 1)
        for (long b = 0; b < nblocks; b++) block(b * LANES, n, max_iter, 1e-12, xo, ko, so);
        double dt = now() - t0;
        long full = 0;
        for (long j = 0; j < n; j++) full += (so[j] == 2 && ko[j] == max_iter);
        printf("%.9f %ld %a %a\n", dt, full, xo[0], xo[n - 1]);
    }
    return 0;
}
