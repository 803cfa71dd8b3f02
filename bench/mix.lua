-- wrk script: each request a path drawn at random from the file named by WRK_PATHS (one a line;
-- a path listed several times is requested that much more often). bench/measure.py writes the file.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed)
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)])
end
