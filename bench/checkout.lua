-- bench/checkout.lua: wrk script for bench/checkout.sh. Each request checks
-- out its own pre-filled cart "<prefix><thread><index>" with the cart id as
-- its Idempotency-Key. args: prefix, carts per thread.
local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

function init(args)
	prefix = args[1]
	per = tonumber(args[2])
	n = 0
end

function request()
	local cart = string.format("%s%02d%07d", prefix, tid, n % per)
	n = n + 1
	local body = '{"cart_id":"' .. cart .. '","email":"bench@example.com",' ..
		'"shipping_address":{"name":"Bench","line1":"1 Main St","city":"Springfield",' ..
		'"postal_code":"12345","country":"US"},"payment":{"card_number":"4242424242424242",' ..
		'"exp_month":12,"exp_year":2099,"cvc":"123"}}'
	return wrk.format("POST", "/api/v1/checkout",
		{["Content-Type"] = "application/json", ["Idempotency-Key"] = cart}, body)
end
