{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<h1>Please confirm</h1>
<div class="confirm-box">
<p id="confirm-question">{{QUESTION}}</p>
<form method="post" action="{{ACTION}}">
{{#FIELD}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">
{{/FIELD}}<input type="hidden" name="confirm" value="yes">
<button class="btn btn-danger" type="submit" id="confirm-yes">Yes, do it</button>
<a class="btn btn-ghost" href="{{BACK}}">No, go back</a>
</form>
</div>
</section>
{{>FOOTER}}
