{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="form-page">
<h1>Create your account</h1>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form class="stack" method="post" action="/register">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="{{EMAIL}}">
<label for="password">Password <span class="muted small">(at least 10 characters, not a common one)</span></label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="256">
<button class="btn" type="submit">Create account</button>
</form>
<p class="muted">Already have an account? <a href="/login?next={{NEXT:u}}">Sign in</a></p>
</section>
{{>FOOTER}}
