{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="form-page">
<h1>Sign in</h1>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form class="stack" method="post" action="/login">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="{{EMAIL}}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button class="btn" type="submit">Sign in</button>
</form>
<p class="muted">New to Souk? <a href="/register?next={{NEXT:u}}">Create your account</a></p>
</section>
{{>FOOTER}}
