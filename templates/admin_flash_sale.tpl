{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<noscript><meta http-equiv="refresh" content="5"></noscript>
<section class="admin">
<p><a href="/admin/flash">&larr; All flash sales</a></p>
<h1>Flash sale #{{ID}}: {{TITLE}}</h1>
<p class="muted small">Live figures; reload for the latest (the line's figures come from Redis, the units from PostgreSQL).</p>
<dl class="figures" id="figures">
{{#FIG}}<dt>{{LABEL}}</dt><dd id="fig-{{KEY}}">{{VALUE}}</dd>{{/FIG}}
</dl>
{{#PAUSE}}<form method="post" action="/admin/flash/{{ID}}/pause"><input type="hidden" name="csrf" value="{{CSRF}}"><label><input type="checkbox" name="confirm" value="yes" required> Pause admission (everyone in line waits)</label> <button class="btn btn-small" id="pause" type="submit">Pause</button></form>{{/PAUSE}}
{{#RESUME}}<form method="post" action="/admin/flash/{{ID}}/resume"><input type="hidden" name="csrf" value="{{CSRF}}"><label><input type="checkbox" name="confirm" value="yes" required> Resume admission</label> <button class="btn btn-small" id="resume" type="submit">Resume</button></form>{{/RESUME}}
{{#END}}<form method="post" action="/admin/flash/{{ID}}/end"><input type="hidden" name="csrf" value="{{CSRF}}"><label><input type="checkbox" name="confirm" value="yes" required> End the sale now; unsold units go back to normal stock</label> <button class="btn btn-small btn-danger" id="end" type="submit">End sale</button></form>{{/END}}
</section>
{{>FOOTER}}
