{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="flash" id="flash" data-sale="{{SALE_ID}}" data-state="{{STATE}}" data-starts="{{STARTS_UNIX}}" data-now="{{NOW_MS}}">
<h1>Flash sale: {{TITLE}}</h1>
<p class="flash-deal"><strong class="price" id="flash-price">${{PRICE}}</strong> <s class="muted">${{LIST_PRICE}}</s> &middot; limit {{LIMIT}} per customer</p>
<p class="flash-units"><span id="units-left">{{UNITS_LEFT}}</span> of {{UNITS}} left</p>
<progress class="flash-bar" id="units-bar" max="{{UNITS}}" value="{{UNITS_LEFT}}">{{UNITS_LEFT}} of {{UNITS}} left</progress>
{{#ERROR}}<p class="alert" role="alert" id="flash-error">{{MESSAGE}}</p>{{/ERROR}}
{{#LANDING}}<p class="lead">{{WHEN}}</p>
<form method="post" action="/flash/{{SALE_ID}}/join"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn" id="join" type="submit">Join the line</button></form>{{/LANDING}}
{{#PREQUEUE}}<div class="waiting" id="prequeue"><h2>You are in the pre-queue</h2>
<p class="lead">The sale starts in <strong id="countdown">{{STARTS_IN}}</strong>. At the start everyone in the pre-queue gets a random place in line, so there is no need to hurry or to refresh: this page updates itself.</p></div>{{/PREQUEUE}}
{{#WAITING}}<div class="waiting" id="waiting"><h2>{{HEADING}}</h2>
<p class="lead">Your place: <strong id="position">{{POSITION}}</strong> (<span id="ahead">{{AHEAD}}</span> ahead of you). Estimated wait: <strong id="eta">{{ETA}}</strong>, measured from how fast people are let in.</p>
<p class="muted small">Keep this page open; it updates itself. Your place is kept if you close it.</p></div>{{/WAITING}}
{{#SOLD_OUT}}<div class="waiting" id="sold-out"><h2>Sold out</h2><p class="lead">All units of this sale are gone. If a buyer's payment fails, units come back and the line moves again.</p></div>{{/SOLD_OUT}}
{{#ENDED}}<div class="waiting" id="ended"><h2>This sale is over</h2><p class="lead">{{ENDED_WHY}}</p></div>{{/ENDED}}
{{#POLL}}<noscript><meta http-equiv="refresh" content="{{REFRESH}}"></noscript><script src="/static/flash.js" defer></script>{{/POLL}}
{{#BUY}}<div class="flash-buy" id="buy"><h2>It's your turn</h2>
<p class="lead">Your pass is valid until <strong id="pass-until">{{PASS_UNTIL}}</strong>.</p>
<form class="stack" method="post" action="/flash/{{SALE_ID}}/buy" autocomplete="off">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="key" value="{{KEY}}">
<label for="qty">Quantity</label><select id="qty" name="qty">{{#QTY}}<option value="{{V}}">{{V}}</option>{{/QTY}}</select>
<label for="email">E-mail</label><input id="email" name="email" type="email" required maxlength="254" value="{{EMAIL}}">
<label for="name">Full name</label><input id="name" name="name" required maxlength="200">
<label for="line1">Address</label><input id="line1" name="line1" required maxlength="200">
<label for="city">City</label><input id="city" name="city" required maxlength="100">
<label for="postal_code">Postal code</label><input id="postal_code" name="postal_code" required maxlength="20">
<label for="country">Country (two letters)</label><input id="country" name="country" required maxlength="2" value="US">
<label for="card_number">Card number</label><input id="card_number" name="card_number" inputmode="numeric" required maxlength="23" placeholder="4242 4242 4242 4242">
<div class="row3"><div><label for="exp_month">Month</label><input id="exp_month" name="exp_month" inputmode="numeric" required maxlength="2" placeholder="MM"></div>
<div><label for="exp_year">Year</label><input id="exp_year" name="exp_year" inputmode="numeric" required maxlength="4" placeholder="YYYY"></div>
<div><label for="cvc">Security code</label><input id="cvc" name="cvc" inputmode="numeric" required maxlength="4" placeholder="123"></div></div>
<button class="btn" id="buy-now" type="submit">Buy now</button>
</form></div>{{/BUY}}
{{#DONE}}<div class="thanks" id="done"><h2>Thank you, your order is placed</h2>
<p class="lead">Order <strong id="order-id">{{PUBLIC_ID}}</strong> is <span class="status">{{STATUS}}</span>: {{N}} &times; {{TITLE}} at ${{PRICE}}. A receipt goes to {{EMAIL}}.</p>
<p><a class="btn" href="{{ORDER_HREF}}">View your order</a></p></div>{{/DONE}}
</section>
{{>FOOTER}}
