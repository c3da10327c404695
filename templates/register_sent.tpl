{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="form-page">
<h1>Check your e-mail</h1>
<p role="status">Check your e-mail to continue: we have sent a message to <strong>{{EMAIL}}</strong>.</p>
<p class="muted">It tells you how to sign in. <a href="/login">Sign in</a></p>
</section>
{{>FOOTER}}
