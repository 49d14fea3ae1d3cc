@echo off
rem tp: runs this distribution's lib\tp.jar with the java of JAVA_HOME, else the one on the PATH (JDK 17 or newer).
rem JAVA_OPTS adds JVM options, e.g. set JAVA_OPTS=-Xmx16g
setlocal
set "TP_JAVA=java"
if defined JAVA_HOME set "TP_JAVA=%JAVA_HOME%\bin\java.exe"
"%TP_JAVA%" %JAVA_OPTS% -jar "%~dp0..\lib\tp.jar" %*
exit /b %ERRORLEVEL%
