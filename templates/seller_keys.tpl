{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>API keys</h1>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#NEW_KEY}}<div class="notice" role="status"><p>Your new key, shown this once: copy it now.</p>
<p><code id="new-key">{{KEY}}</code></p>
<p class="muted">Send it as <code>Authorization: Bearer &lt;key&gt;</code>.</p></div>{{/NEW_KEY}}
<form class="inline-form" method="post" action="/seller/keys">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="label">Label</label>
<input id="label" name="label" maxlength="80">
<button class="btn" type="submit">Create a key</button>
</form>
{{#NONE}}<p class="empty">No keys yet.</p>{{/NONE}}
<table class="lines">
<thead><tr><th scope="col">Key</th><th scope="col">Label</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
<tbody>
{{#KEY_ROW}}<tr><td><code>{{PREFIX}}…</code></td><td>{{LABEL}}</td><td>{{CREATED}}</td><td>{{#LIVE}}<form method="post" action="/seller/keys/{{ID}}/revoke"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Revoke</button></form>{{/LIVE}}{{#REVOKED}}revoked {{WHEN}}{{/REVOKED}}</td></tr>{{/KEY_ROW}}
</tbody>
</table>
</section>
{{>FOOTER}}
