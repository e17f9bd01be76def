# spawn: start N trivial fibers and join them all (Crystal reference for
# bench/spawn/main.plat; Crystal's fibers run on one thread).  Each fiber
# stores its index in its slot of `results` and reports on an unbuffered
# channel, which the main fiber reads N times (Crystal 1.6 has no
# WaitGroup); the result is the sum, N*(N-1)/2.
# Usage: spawn [N], default 1000000.

def size(fallback : Int32) : Int32
  return fallback if ARGV.empty?
  n = ARGV[0].to_i32?
  if n.nil? || n < 0
    STDERR.puts "bad size #{ARGV[0].inspect}"
    exit 2
  end
  n
end

n = size(1_000_000)
results = Array(Int64).new(n, 0_i64)
done = Channel(Nil).new
n.times do |i|
  spawn do
    results[i] = i.to_i64
    done.send(nil)
  end
end
n.times { done.receive }
puts results.sum
