# blocked_mem: N fibers, each blocked on its own unbuffered channel
# (Crystal reference for bench/blocked_mem/main.plat; Crystal's fibers run
# on one thread).  Every fiber first reports on `ready`, then waits; once
# all N have reported, the program copies its VmRSS and VmPTE lines from
# /proc/self/status to stderr, then wakes each fiber with its index and
# sums the answers (2*i each) and the ready values: 3*N*(N-1)/2.
# Each fiber stack is its own 8 MiB mapping plus a guard page, so Linux's
# vm.max_map_count (65530) stops Crystal near 32,000 live fibers.
# Usage: blocked_mem [N], default 100000.

def size(fallback : Int32) : Int32
  return fallback if ARGV.empty?
  n = ARGV[0].to_i32?
  if n.nil? || n < 0
    STDERR.puts "bad size #{ARGV[0].inspect}"
    exit 2
  end
  n
end

# Copies the VmRSS and VmPTE lines of /proc/self/status to stderr.
def report_memory
  found = 0
  File.read("/proc/self/status").each_line do |line|
    if line.starts_with?("VmRSS:") || line.starts_with?("VmPTE:")
      STDERR.puts line
      found += 1
    end
  end
  abort "no VmRSS or VmPTE in /proc/self/status" unless found == 2
end

n = size(100_000)
ready = Channel(Int32).new(1024)
results = Channel(Int64).new(1024)
chans = Array(Channel(Int64)).new(n)
n.times do |i|
  c = Channel(Int64).new
  chans << c
  spawn do
    ready.send(i)
    results.send(c.receive * 2)
  end
end
sum = 0_i64
n.times { sum += ready.receive }
report_memory
n.times { |i| chans[i].send(i.to_i64) }
n.times { sum += results.receive }
puts sum
