# nullb0 O_DIRECT 4 KiB random reads: IOPS against queue depth, ours and the reference.
# Median with min..max bars, from qd.dat as written by scripts/bench.sh:
#   depth ours_median ours_min ours_max ref_median ref_min ref_max
#   gnuplot -e "datafile='bench/qd.dat'; outfile='bench/qd.png'" bench/qd.gp
if (!exists("datafile")) datafile = 'qd.dat'
if (!exists("outfile")) outfile = 'qd.png'
set terminal pngcairo size 800,500 noenhanced
set output outfile
set datafile missing '-'
set title 'nullb0 O_DIRECT 4 KiB random reads (io_uring-bench), QEMU TCG 2 vCPUs'
set xlabel 'queue depth'
set ylabel 'IOPS (median, min..max)'
set logscale x 2
stats datafile using 1 nooutput
set xrange [0.7:STATS_max * 1.5]
set yrange [0:*]
set key top left
set grid
plot datafile using 1:2:3:4 with yerrorlines lw 2 title 'ours', \
     datafile using 1:5:6:7 with yerrorlines lw 2 title 'reference'
