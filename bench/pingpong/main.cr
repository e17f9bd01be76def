# pingpong: two fibers pass a counter back and forth over two unbuffered
# channels, N round trips (Crystal reference for bench/pingpong/main.plat;
# Crystal's fibers run on one thread).  The main fiber sends i on ping, the
# echo fiber answers i+1 on pong and counts; the result is sum(i+1) + N.
# Usage: pingpong [N], default 1000000.

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
ping = Channel(Int32).new
pong = Channel(Int32).new
done = Channel(Int64).new
spawn do
  count = 0_i64
  while v = ping.receive?
    pong.send(v + 1)
    count += 1
  end
  done.send(count)
end
sum = 0_i64
n.times do |i|
  ping.send(i)
  sum += pong.receive
end
ping.close
puts sum + done.receive
