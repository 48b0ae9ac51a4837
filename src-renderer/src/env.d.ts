// Stylesheets are imported for their side effect; the bundler turns them into a <link>.
declare module '*.css';
