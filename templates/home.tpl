{{%AUTOESCAPE context="HTML"}}{{>HEADER}}<h1>Welcome to Souk</h1>{{>FOOTER}}
