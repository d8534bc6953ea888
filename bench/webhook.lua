-- wrk script: POSTs pre-signed webhook bodies, each with its own wamid and
-- sender, from the file named by MANA_BENCH_BODIES (signature TAB body per
-- line).  Each thread takes every n-th line, so no wamid is sent twice.
-- MANA_BENCH_RATE (requests per second in all) paces the run via delay().

local threads = {}
local counter = 0

function setup(thread)
    thread:set("id", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local nthreads = tonumber(os.getenv("MANA_BENCH_THREADS"))
    local path = os.getenv("MANA_BENCH_BODIES")
    local rate = tonumber(os.getenv("MANA_BENCH_RATE") or "0")
    local conns = tonumber(os.getenv("MANA_BENCH_CONNECTIONS"))
    bodies = {}
    local i = 0
    for line in io.lines(path) do
        if i % nthreads == id then
            local tab = line:find("\t", 1, true)
            table.insert(bodies, { line:sub(1, tab - 1), line:sub(tab + 1) })
        end
        i = i + 1
    end
    next_body = 1
    -- each connection waits conns/rate seconds between its requests
    pause = rate > 0 and (conns * 1000 / rate) or 0
end

function delay()
    return pause
end

function request()
    local b = bodies[next_body]
    next_body = next_body + 1
    if next_body > #bodies then
        next_body = 1
    end
    return wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["X-Hub-Signature-256"] = b[1],
    }, b[2])
end
