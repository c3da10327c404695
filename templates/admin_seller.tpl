{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
<p><a href="/admin/sellers">&larr; Sellers</a></p>
<h1>{{NAME}}</h1>
<dl class="facts">
<dt>Status</dt><dd><span class="status" id="seller-status">{{STATUS}}</span> since {{SINCE}} <span class="muted">{{NOTE}}</span></dd>
<dt>Contact</dt><dd>{{CONTACT}}</dd>
<dt>Applicant</dt><dd>{{APPLICANT}}</dd>
<dt>Payout account</dt><dd>{{PAYOUT}}</dd>
<dt>Offers</dt><dd>{{OFFERS}}</dd>
<dt>Commission</dt><dd>{{COMMISSION_BPS}} bps</dd>
<dt>Rating</dt><dd>{{RATING}}</dd>
<dt>Created</dt><dd>{{CREATED}}</dd>
</dl>
{{#CAN_DECIDE}}<form class="inline-form" method="post" action="/admin/sellers/{{ID}}/approve"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn" type="submit">Approve</button></form>
<form class="inline-form" method="post" action="/admin/sellers/{{ID}}/reject"><input type="hidden" name="csrf" value="{{CSRF}}"><label for="reject-note">Reason</label><input id="reject-note" name="note" maxlength="500"><button class="btn btn-small" type="submit">Reject</button></form>{{/CAN_DECIDE}}
{{#CAN_SUSPEND}}<form class="inline-form" method="post" action="/admin/sellers/{{ID}}/suspend"><input type="hidden" name="csrf" value="{{CSRF}}"><label for="suspend-note">Reason</label><input id="suspend-note" name="note" maxlength="500"><button class="btn btn-small" type="submit">Suspend</button></form>{{/CAN_SUSPEND}}
{{#CAN_REINSTATE}}<form class="inline-form" method="post" action="/admin/sellers/{{ID}}/reinstate"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn" type="submit">Reinstate</button></form>{{/CAN_REINSTATE}}
</section>
{{>FOOTER}}
