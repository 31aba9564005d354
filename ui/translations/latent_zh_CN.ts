<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ApiKeyFile</name>
    <message>
        <source>%1 holds API keys but other users can read it. Make it private (chmod 600 &quot;%1&quot;) or delete it and enter the keys again in Settings &gt; Remote models.</source>
        <translation>%1 保存着 API 密钥，但其他用户可以读取它。请将其设为私有（chmod 600 &quot;%1&quot;），或删除它并在“设置 &gt; 远程模型”中重新输入密钥。</translation>
    </message>
    <message>
        <source>%1 could not be read. Check that it is yours and readable, or delete it and enter the API keys again in Settings &gt; Remote models.</source>
        <translation>无法读取 %1。请检查它属于你且可读，或删除它并在“设置 &gt; 远程模型”中重新输入 API 密钥。</translation>
    </message>
    <message>
        <source>%1 is damaged (not a JSON object of API keys). Delete it and enter the keys again in Settings &gt; Remote models.</source>
        <translation>%1 已损坏（不是保存 API 密钥的 JSON 对象）。请删除它并在“设置 &gt; 远程模型”中重新输入密钥。</translation>
    </message>
    <message>
        <source>The API key could not be saved in %1: %2. Check that the folder exists and is writable.</source>
        <translation>无法将 API 密钥保存到 %1：%2。请检查该文件夹存在且可写。</translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>System prompt ●</source>
        <translation>系统提示词 ●</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
</context>
<context>
    <name>ChatStreamText</name>
    <message>
        <source>%1 sent an answer that is not a valid stream (%2). Check that its base URL points at an OpenAI-compatible API.</source>
        <translation>%1 发来的回答不是有效的流（%2）。请检查其基础 URL 指向与 OpenAI 兼容的 API。</translation>
    </message>
    <message>
        <source>a chunk is not JSON</source>
        <translation>某个数据块不是 JSON</translation>
    </message>
    <message>
        <source>The answer from %1 was cut off: the connection closed before the answer ended. Try again; if it persists, check the server&apos;s log.</source>
        <translation>来自 %1 的回答被截断：回答结束前连接已关闭。请重试；如果问题持续，请查看服务器日志。</translation>
    </message>
    <message>
        <source>%1 stopped the answer with an error: %2</source>
        <translation>%1 因错误中止了回答：%2</translation>
    </message>
    <message>
        <source>%1 sent an error body larger than %2 MiB.</source>
        <translation>%1 发来的错误内容超过 %2 MiB。</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Insert at cursor</source>
        <translation>在光标处插入</translation>
    </message>
    <message>
        <source>Replace selection</source>
        <translation>替换所选内容</translation>
    </message>
    <message>
        <source>Replace file</source>
        <translation>替换整个文件</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Load a model to start chatting</source>
        <translation>加载模型后即可开始对话</translation>
    </message>
    <message>
        <source>Message the model (Enter to send, Shift+Enter for a new line)</source>
        <translation>给模型发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>停止回答（Esc）</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Conversation actions</source>
        <translation>对话操作</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>No messages match</source>
        <translation>没有匹配的消息</translation>
    </message>
    <message>
        <source>No conversations yet</source>
        <translation>还没有对话</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message numerus="yes">
        <source>%n second(s) left</source>
        <translation>
            <numerusform>还剩 %n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) left</source>
        <translation>
            <numerusform>还剩 %n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) left</source>
        <translation>
            <numerusform>还剩 %n 小时</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the download before it</source>
        <translation>正在等待前一个下载完成</translation>
    </message>
    <message>
        <source>Checking the part already downloaded…</source>
        <translation>正在检查已下载的部分…</translation>
    </message>
    <message>
        <source>Paused at %1 GB</source>
        <translation>已暂停，已下载 %1 GB</translation>
    </message>
    <message>
        <source>Done: SHA-256 verified</source>
        <translation>完成：SHA-256 已校验</translation>
    </message>
    <message>
        <source>Done: no published checksum, checked by size only</source>
        <translation>完成：没有公布的校验和，仅按大小检查</translation>
    </message>
    <message>
        <source>%1 of %2 GB</source>
        <translation>%1 / %2 GB</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 MB/s</source>
        <translation>%1 MB/s</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>从列表中移除</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>DownloadUrl</name>
    <message>
        <source>The mirror &quot;%1&quot; is not a web address: write it as https://hf-mirror.com, or leave it empty for Hugging Face.</source>
        <translation>镜像“%1”不是网址：请写成 https://hf-mirror.com 这样的形式，或留空以使用 Hugging Face。</translation>
    </message>
</context>
<context>
    <name>DownloadsDialog</name>
    <message>
        <source>Download Models</source>
        <translation>下载模型</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Download folder</source>
        <translation>下载文件夹</translation>
    </message>
    <message>
        <source>Mirror</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>https://huggingface.co (or a mirror such as https://hf-mirror.com)</source>
        <translation>https://huggingface.co（或镜像，例如 https://hf-mirror.com）</translation>
    </message>
    <message>
        <source>%1 GB download</source>
        <translation>下载 %1 GB</translation>
    </message>
    <message>
        <source>needs %1 GB of memory</source>
        <translation>需要 %1 GB 内存</translation>
    </message>
    <message>
        <source>fits this machine</source>
        <translation>适合这台电脑</translation>
    </message>
    <message>
        <source>more than this machine has free</source>
        <translation>超出这台电脑的可用内存</translation>
    </message>
    <message>
        <source>no published checksum: checked by size only</source>
        <translation>没有公布的校验和：仅按大小检查</translation>
    </message>
    <message>
        <source>Latent&apos;s engine does not run this architecture yet: use it through a remote engine</source>
        <translation>Latent 的引擎暂不支持运行此架构：请通过远程引擎使用它</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
</context>
<context>
    <name>EditorActions</name>
    <message>
        <source>&amp;New File</source>
        <translation>新建文件(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open File...</source>
        <translation>打开文件(&amp;O)...</translation>
    </message>
    <message>
        <source>Open &amp;Folder...</source>
        <translation>打开文件夹(&amp;F)...</translation>
    </message>
    <message>
        <source>Close Fol&amp;der</source>
        <translation>关闭文件夹(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As...</source>
        <translation>另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>Save A&amp;ll</source>
        <translation>全部保存(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Close File</source>
        <translation>关闭文件(&amp;C)</translation>
    </message>
    <message>
        <source>Close All Fi&amp;les</source>
        <translation>关闭所有文件(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Find...</source>
        <translation>查找(&amp;F)...</translation>
    </message>
    <message>
        <source>&amp;Replace...</source>
        <translation>替换(&amp;R)...</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>查找上一个(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Go to Line...</source>
        <translation>转到行(&amp;G)...</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Reset Zoom</source>
        <translation>重置缩放(&amp;R)</translation>
    </message>
</context>
<context>
    <name>EditorDialogs</name>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to “%1” before closing it?</source>
        <translation>关闭前是否保存对“%1”的更改？</translation>
    </message>
    <message>
        <source>Your changes will be lost if you don&apos;t save them.</source>
        <translation>如果不保存，你的更改将会丢失。</translation>
    </message>
    <message>
        <source>File Changed on Disk</source>
        <translation>文件已在磁盘上被更改</translation>
    </message>
    <message>
        <source>“%1” was changed by another program, and you have unsaved changes to it.</source>
        <translation>“%1”已被另一个程序修改，而你对它还有未保存的更改。</translation>
    </message>
    <message>
        <source>Reload it from disk and lose your changes, or keep your version (saving it then overwrites the file on disk)?</source>
        <translation>从磁盘重新加载并放弃你的更改，还是保留你的版本（之后保存会覆盖磁盘上的文件）？</translation>
    </message>
    <message>
        <source>&amp;Reload (Lose My Changes)</source>
        <translation>重新加载（放弃我的更改）(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Keep Mine</source>
        <translation>保留我的版本(&amp;K)</translation>
    </message>
    <message>
        <source>Open Files</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Go to Line</source>
        <translation>转到行</translation>
    </message>
    <message>
        <source>Line (1 to %1):</source>
        <translation>行号（1 到 %1）：</translation>
    </message>
</context>
<context>
    <name>EndpointStore</name>
    <message>
        <source>Give the endpoint a name: errors and the model picker show it.</source>
        <translation>请为端点命名：错误信息和模型选择器会显示这个名称。</translation>
    </message>
    <message>
        <source>The base URL of %1 must be an http:// or https:// address with a host, such as http://localhost:8000/v1.</source>
        <translation>%1 的基础 URL 必须是带主机名的 http:// 或 https:// 地址，例如 http://localhost:8000/v1。</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Less</source>
        <translation>收起</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>GenerationStatus</name>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>Context %1 / %2</source>
        <translation>上下文 %1 / %2</translation>
    </message>
    <message>
        <source>Reading the prompt: %1 tokens</source>
        <translation>正在读取提示词：%1 个词元</translation>
    </message>
    <message>
        <source>Context %1 tokens, size unknown</source>
        <translation>上下文 %1 个词元，总长度未知</translation>
    </message>
</context>
<context>
    <name>LoadErrorText</name>
    <message>
        <source>%1 could not be opened. Check that the file exists and that you may read it.</source>
        <translation>无法打开 %1。请确认文件存在，且你有权限读取它。</translation>
    </message>
    <message>
        <source>%1 is not a GGUF model file, or it is damaged or incomplete (a download cut short, say). Choose a .gguf file, or download this one again.</source>
        <translation>%1 不是 GGUF 模型文件，或者已损坏、不完整（例如下载中断）。请选择一个 .gguf 文件，或重新下载这个文件。</translation>
    </message>
    <message>
        <source>%1 is damaged or incomplete: part of the model is missing or malformed. Download the file again.</source>
        <translation>%1 已损坏或不完整：模型的一部分缺失或格式有误。请重新下载该文件。</translation>
    </message>
    <message>
        <source>%1 is a model of architecture &quot;%2&quot;, which Latent cannot run: it runs DeepSeek models (architectures llama and deepseek2).</source>
        <translation>%1 是架构为“%2”的模型，Latent 无法运行：它运行 DeepSeek 模型（llama 和 deepseek2 架构）。</translation>
    </message>
    <message>
        <source>%1 stores weights as %2, a type this version cannot compute. Choose another quantization of the model, such as Q4_K_M, Q6_K or Q8_0.</source>
        <translation>%1 以 %2 格式存储权重，此版本无法计算这种类型。请选择该模型的其他量化版本，例如 Q4_K_M、Q6_K 或 Q8_0。</translation>
    </message>
    <message>
        <source>There is not enough memory to load %1. Close other programs, choose a smaller context size in Settings, or a smaller quantization of the model.</source>
        <translation>内存不足，无法加载 %1。请关闭其他程序，在设置中选择更小的上下文长度，或选择该模型更小的量化版本。</translation>
    </message>
    <message>
        <source>%1 could not be loaded. The engine&apos;s reason:</source>
        <translation>无法加载 %1。引擎给出的原因：</translation>
    </message>
</context>
<context>
    <name>LoadingPane</name>
    <message>
        <source>Loading %1… %2%</source>
        <translation>正在加载 %1… %2%</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Preparing the model… (%1)</source>
        <translation>正在准备模型…（%1）</translation>
    </message>
</context>
<context>
    <name>LocalServerSettings</name>
    <message>
        <source>Editors (Continue, llama.vim, llama.vscode) and scripts on this computer can use the model loaded here through an OpenAI-compatible server.</source>
        <translation>这台电脑上的编辑器（Continue、llama.vim、llama.vscode）和脚本可以通过兼容 OpenAI 的服务器使用这里加载的模型。</translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation>通过服务器提供已加载的模型</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Requests at once</source>
        <translation>同时处理的请求数</translation>
    </message>
    <message>
        <source>Other computers</source>
        <translation>其他电脑</translation>
    </message>
    <message>
        <source>Allow them, with the API key</source>
        <translation>允许访问（需使用 API 密钥）</translation>
    </message>
    <message>
        <source>Serving at %1</source>
        <translation>正在 %1 提供服务</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <source>Copy llama.vim address</source>
        <translation>复制 llama.vim 地址</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>生成新密钥</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>The model could not be loaded</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <source>The model is loading…</source>
        <translation>模型正在加载…</translation>
    </message>
    <message>
        <source>Load a model to start chatting</source>
        <translation>加载模型后即可开始对话</translation>
    </message>
</context>
<context>
    <name>MessageActions</name>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>更多操作</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>This answer was interrupted before it was complete.</source>
        <translation>这个回答在完成前被中断了。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Cut at the %1-token limit of an answer (Settings &gt; Max tokens).</source>
        <translation>已在单个回答 %1 个词元的上限处截断（设置 &gt; 最大词元数）。</translation>
    </message>
    <message>
        <source>Cut here: the conversation filled the context.</source>
        <translation>在此截断：对话已占满上下文。</translation>
    </message>
</context>
<context>
    <name>MessageEditor</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save &amp; Send</source>
        <translation>保存并发送</translation>
    </message>
</context>
<context>
    <name>MessageList</name>
    <message>
        <source>What can I help with?</source>
        <translation>有什么可以帮你？</translation>
    </message>
    <message>
        <source>Ask a question, paste code to explain or review, or describe what to write.</source>
        <translation>提一个问题，粘贴代码让我解释或审查，或者描述你想写的内容。</translation>
    </message>
</context>
<context>
    <name>ModelCatalogue</name>
    <message>
        <source>%1: field &quot;%2&quot; is missing or not a text</source>
        <translation>%1：字段“%2”缺失或不是文本</translation>
    </message>
    <message>
        <source>%1: field &quot;%2&quot; is &quot;%3&quot;, which is not %4</source>
        <translation>%1：字段“%2”的值为“%3”，不符合要求（应为%4）</translation>
    </message>
    <message>
        <source>%1: field &quot;%2&quot; must be a positive whole number of bytes</source>
        <translation>%1：字段“%2”必须是表示字节数的正整数</translation>
    </message>
    <message>
        <source>lower-case letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;</source>
        <translation>小写字母、数字、&apos;.&apos;、&apos;_&apos; 和 &apos;-&apos;</translation>
    </message>
    <message>
        <source>an architecture name such as llama</source>
        <translation>架构名称，例如 llama</translation>
    </message>
    <message>
        <source>a Hugging Face repository &quot;owner/name&quot;</source>
        <translation>Hugging Face 仓库“所有者/名称”</translation>
    </message>
    <message>
        <source>a file name ending in .gguf, without folders</source>
        <translation>以 .gguf 结尾、不含文件夹的文件名</translation>
    </message>
    <message>
        <source>64 lower-case hexadecimal digits (a SHA-256)</source>
        <translation>64 位小写十六进制数字（SHA-256）</translation>
    </message>
    <message>
        <source>%1 is %2 bytes; a model catalogue is at most %3: it is not a catalogue</source>
        <translation>%1 大小为 %2 字节；模型目录最大为 %3 字节：它不是模型目录</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (%2 at byte %3)</source>
        <translation>%1 不是有效的 JSON（第 %3 字节处：%2）</translation>
    </message>
    <message>
        <source>%1 has no &quot;models&quot; list: a catalogue is an object with a non-empty &quot;models&quot; array</source>
        <translation>%1 没有“models”列表：模型目录应是一个包含非空“models”数组的对象</translation>
    </message>
    <message>
        <source>%1, entry %2%3</source>
        <translation>%1，第 %2 项%3</translation>
    </message>
    <message>
        <source>%1: is not an object</source>
        <translation>%1：不是对象</translation>
    </message>
    <message>
        <source>%1: field &quot;id&quot; repeats an earlier entry&apos;s</source>
        <translation>%1：字段“id”与前面某一项重复</translation>
    </message>
</context>
<context>
    <name>ModelListText</name>
    <message>
        <source>%1 answered, but not with a list of models. Check that the base URL is the API&apos;s root (it usually ends in /v1).</source>
        <translation>%1 有回应，但不是模型列表。请检查基础 URL 是 API 的根地址（通常以 /v1 结尾）。</translation>
    </message>
    <message>
        <source>%1 sent a model list larger than %2 MiB.</source>
        <translation>%1 发来的模型列表超过 %2 MiB。</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>%1 context</source>
        <translation>%1 上下文</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Choose a GGUF file to start</source>
        <translation>选择一个 GGUF 文件开始</translation>
    </message>
    <message>
        <source>Recent models</source>
        <translation>最近的模型</translation>
    </message>
    <message>
        <source>Forget missing models</source>
        <translation>移除不存在的模型</translation>
    </message>
    <message>
        <source>Open model file…</source>
        <translation>打开模型文件…</translation>
    </message>
    <message>
        <source>File missing: %1</source>
        <translation>文件不存在：%1</translation>
    </message>
    <message>
        <source>trained for %1</source>
        <translation>训练上下文 %1</translation>
    </message>
    <message>
        <source>CPU (%1 threads, %2 kernels)</source>
        <translation>CPU（%1 个线程，%2 内核）</translation>
    </message>
    <message>
        <source>Remote: %1</source>
        <translation>远程：%1</translation>
    </message>
    <message>
        <source>context size unknown</source>
        <translation>上下文长度未知</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>远程</translation>
    </message>
    <message>
        <source>Listing its models…</source>
        <translation>正在列出其模型…</translation>
    </message>
    <message>
        <source>Download model…</source>
        <translation>下载模型…</translation>
    </message>
</context>
<context>
    <name>ModelPurposes</name>
    <message>
        <source>Fast code chat and completion on any laptop.</source>
        <translation>在任何笔记本电脑上都能快速进行代码对话和补全。</translation>
    </message>
    <message>
        <source>Completion as you type (fill-in-the-middle) with little memory.</source>
        <translation>输入时补全（中间填充），占用内存少。</translation>
    </message>
    <message>
        <source>Code chat, explanations and reviews: a good balance on 8 to 16 GB.</source>
        <translation>代码对话、解释和审查：在 8 到 16 GB 内存上取得良好平衡。</translation>
    </message>
    <message>
        <source>Better completion as you type (fill-in-the-middle) on 8 GB or more.</source>
        <translation>更好的输入时补全（中间填充），需 8 GB 或以上内存。</translation>
    </message>
    <message>
        <source>The strongest DeepSeek-Coder for chat, on 32 GB or more.</source>
        <translation>最强的对话用 DeepSeek-Coder，需 32 GB 或以上内存。</translation>
    </message>
    <message>
        <source>The strongest completion as you type, on 32 GB or more.</source>
        <translation>最强的输入时补全，需 32 GB 或以上内存。</translation>
    </message>
    <message>
        <source>General chat in English and Chinese.</source>
        <translation>中英文通用对话。</translation>
    </message>
    <message>
        <source>Step-by-step mathematics.</source>
        <translation>逐步推导的数学解题。</translation>
    </message>
    <message>
        <source>Mixture-of-experts chat: 16B parameters at the speed of a 2.4B model.</source>
        <translation>混合专家（MoE）对话模型：16B 参数，速度与 2.4B 模型相当。</translation>
    </message>
    <message>
        <source>Mixture-of-experts code model, fast on the CPU; the smaller file for 12 to 16 GB.</source>
        <translation>混合专家（MoE）代码模型，在 CPU 上也很快；文件较小，适合 12 到 16 GB 内存。</translation>
    </message>
    <message>
        <source>Mixture-of-experts code model, fast on the CPU; near full quality on 24 GB or more.</source>
        <translation>混合专家（MoE）代码模型，在 CPU 上也很快；质量接近完整模型，需 24 GB 或以上内存。</translation>
    </message>
    <message>
        <source>R1&apos;s thinking in a small model: reasoning and mathematics.</source>
        <translation>小模型也具备 R1 的思考能力：推理与数学。</translation>
    </message>
    <message>
        <source>R1&apos;s thinking: reasoning, mathematics and code.</source>
        <translation>具备 R1 的思考能力：推理、数学与代码。</translation>
    </message>
    <message>
        <source>R1&apos;s thinking with more knowledge, on 16 GB or more.</source>
        <translation>具备 R1 的思考能力且知识更丰富，需 16 GB 或以上内存。</translation>
    </message>
    <message>
        <source>R1&apos;s thinking on a Llama base: reasoning and general chat.</source>
        <translation>基于 Llama 的 R1 思考能力：推理与通用对话。</translation>
    </message>
</context>
<context>
    <name>ModelSizeTable</name>
    <message>
        <source>DeepSeek-Coder 1.3B</source>
        <translation>DeepSeek-Coder 1.3B</translation>
    </message>
    <message>
        <source>~1 GB</source>
        <translation>约 1 GB</translation>
    </message>
    <message>
        <source>Any laptop with 4 GB of RAM</source>
        <translation>任何有 4 GB 内存的笔记本电脑</translation>
    </message>
    <message>
        <source>DeepSeek-Coder 6.7B, deepseek-llm 7B, deepseek-math 7B</source>
        <translation>DeepSeek-Coder 6.7B、deepseek-llm 7B、deepseek-math 7B</translation>
    </message>
    <message>
        <source>~4 GB</source>
        <translation>约 4 GB</translation>
    </message>
    <message>
        <source>8 GB of RAM</source>
        <translation>8 GB 内存</translation>
    </message>
    <message>
        <source>DeepSeek-Coder-V2-Lite, DeepSeek-V2-Lite (16B MoE)</source>
        <translation>DeepSeek-Coder-V2-Lite、DeepSeek-V2-Lite（16B MoE）</translation>
    </message>
    <message>
        <source>~10 GB</source>
        <translation>约 10 GB</translation>
    </message>
    <message>
        <source>16 GB of RAM; fast, as only 2.4B parameters work per token (MoE)</source>
        <translation>16 GB 内存；速度快，每个词元只用到 2.4B 参数（MoE）</translation>
    </message>
    <message>
        <source>DeepSeek-Coder 33B</source>
        <translation>DeepSeek-Coder 33B</translation>
    </message>
    <message>
        <source>~20 GB</source>
        <translation>约 20 GB</translation>
    </message>
    <message>
        <source>32 GB of RAM</source>
        <translation>32 GB 内存</translation>
    </message>
    <message>
        <source>DeepSeek-V2 236B, DeepSeek-V3 671B</source>
        <translation>DeepSeek-V2 236B、DeepSeek-V3 671B</translation>
    </message>
    <message>
        <source>~140 GB, ~400 GB</source>
        <translation>约 140 GB、约 400 GB</translation>
    </message>
    <message>
        <source>Workstation or server memory</source>
        <translation>工作站或服务器级内存</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>File at Q4_K_M</source>
        <translation>Q4_K_M 文件大小</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>运行环境</translation>
    </message>
</context>
<context>
    <name>RemoteEndpointSettings</name>
    <message>
        <source>Models too large for this computer can answer from a server that speaks the OpenAI API: DeepSeek&apos;s own, or vLLM, SGLang, Ollama or llama.cpp&apos;s server on another machine.</source>
        <translation>对这台电脑来说过大的模型，可以由支持 OpenAI API 的服务器来回答：DeepSeek 官方的服务器，或另一台机器上的 vLLM、SGLang、Ollama 或 llama.cpp 服务器。</translation>
    </message>
    <message>
        <source>Listing its models…</source>
        <translation>正在列出其模型…</translation>
    </message>
    <message>
        <source>No models listed yet: press Test.</source>
        <translation>尚未列出模型：请点击“测试”。</translation>
    </message>
    <message>
        <source>No secret store answered: the key is kept in a file only you can read.</source>
        <translation>没有可用的密钥存储服务响应：密钥保存在只有你能读取的文件中。</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Other (by hand)</source>
        <translation>其他（手动填写）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>None, or sk-…</source>
        <translation>无，或 sk-…</translation>
    </message>
    <message>
        <source>Add endpoint</source>
        <translation>添加端点</translation>
    </message>
</context>
<context>
    <name>RemoteErrorText</name>
    <message>
        <source>%1 did not answer for %2 seconds. Check that the server is running and not overloaded, then try again.</source>
        <translation>%1 在 %2 秒内没有回应。请检查服务器正在运行且没有过载，然后重试。</translation>
    </message>
    <message>
        <source>%1 refused the connection at %2. Check that its server is running and that the base URL&apos;s host and port are right (Settings &gt; Remote models).</source>
        <translation>%1 拒绝了到 %2 的连接。请检查其服务器正在运行，且基础 URL 的主机和端口正确（设置 &gt; 远程模型）。</translation>
    </message>
    <message>
        <source>%1&apos;s host was not found (%2). Check the base URL in Settings &gt; Remote models and your network connection.</source>
        <translation>找不到 %1 的主机（%2）。请检查“设置 &gt; 远程模型”中的基础 URL 和你的网络连接。</translation>
    </message>
    <message>
        <source>The connection to %1 timed out (%2). Check your network connection and that the server is running.</source>
        <translation>到 %1 的连接超时（%2）。请检查你的网络连接以及服务器是否正在运行。</translation>
    </message>
    <message>
        <source>%1 closed the connection before answering. Check the server&apos;s log; it may have stopped or restarted.</source>
        <translation>%1 在回应前关闭了连接。请查看服务器日志；它可能已停止或重启。</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed (%2): its certificate was not accepted. Check the base URL; use http:// for a server without TLS.</source>
        <translation>到 %1 的安全连接失败（%2）：其证书未被接受。请检查基础 URL；没有 TLS 的服务器请使用 http://。</translation>
    </message>
    <message>
        <source>%1&apos;s base URL (%2) is not an http:// or https:// address. Correct it in Settings &gt; Remote models.</source>
        <translation>%1 的基础 URL（%2）不是 http:// 或 https:// 地址。请在“设置 &gt; 远程模型”中更正。</translation>
    </message>
    <message>
        <source>%1 could not be reached (%2). Check the base URL and your network connection.</source>
        <translation>无法连接到 %1（%2）。请检查基础 URL 和你的网络连接。</translation>
    </message>
    <message>
        <source>%1 refused the API key (HTTP %2). Check the key in Settings &gt; Remote models.</source>
        <translation>%1 拒绝了 API 密钥（HTTP %2）。请检查“设置 &gt; 远程模型”中的密钥。</translation>
    </message>
    <message>
        <source>%1 has no such model or address (HTTP 404, %2). Check the base URL (it usually ends in /v1) and that the server serves the model chosen.</source>
        <translation>%1 上没有这个模型或地址（HTTP 404，%2）。请检查基础 URL（通常以 /v1 结尾），以及服务器是否提供所选的模型。</translation>
    </message>
    <message>
        <source>%1 is limiting requests (HTTP 429). Try again in %2 s.</source>
        <translation>%1 正在限制请求（HTTP 429）。请在 %2 秒后重试。</translation>
    </message>
    <message>
        <source>%1 is limiting requests (HTTP 429). Wait a moment and try again.</source>
        <translation>%1 正在限制请求（HTTP 429）。请稍等片刻再试。</translation>
    </message>
    <message>
        <source>%1 refused the request as too large (HTTP 413). Shorten the conversation or start a new one.</source>
        <translation>%1 因请求过大而拒绝（HTTP 413）。请缩短对话或开始新对话。</translation>
    </message>
    <message>
        <source>%1 failed with a server error (HTTP %2). Try again later; if it persists, check the server&apos;s log.</source>
        <translation>%1 出现服务器错误（HTTP %2）。请稍后重试；如果问题持续，请查看服务器日志。</translation>
    </message>
    <message>
        <source>%1 refused the request (HTTP %2).</source>
        <translation>%1 拒绝了请求（HTTP %2）。</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>服务器返回：%1</translation>
    </message>
</context>
<context>
    <name>SamplingPreset</name>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Precise (code)</source>
        <translation>精确（代码）</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>创意</translation>
    </message>
    <message>
        <source>Greedy</source>
        <translation>贪心</translation>
    </message>
</context>
<context>
    <name>SamplingSettings</name>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Name for these settings</source>
        <translation>这组设置的名称</translation>
    </message>
    <message>
        <source>Save as preset</source>
        <translation>保存为预设</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Higher is more varied, lower more focused; 0 always picks the likeliest word</source>
        <translation>越高越多样，越低越集中；为 0 时总是选择最可能的词</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Only the k likeliest tokens are candidates</source>
        <translation>只从最可能的 k 个词元中选择</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>The likeliest tokens that together make up this probability</source>
        <translation>从累计概率达到该值的最可能词元中选择</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Drops tokens less likely than this fraction of the likeliest</source>
        <translation>舍弃概率低于最可能词元该比例的词元</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Above 1 makes repeating recent tokens less likely</source>
        <translation>大于 1 时，重复最近词元的可能性降低</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>The longest answer; with no limit, until the context is full</source>
        <translation>回答的最大长度；不限时一直写到上下文用满</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>已应用</translation>
    </message>
    <message>
        <source>In use: %1</source>
        <translation>当前使用：%1</translation>
    </message>
    <message>
        <source>In use: your own settings, not a preset</source>
        <translation>当前使用：你自己的设置，而非预设</translation>
    </message>
</context>
<context>
    <name>SearchHitDelegate</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Context size</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Backend, threads and context size take effect the next time a model is loaded.</source>
        <translation>后端、线程和上下文长度在下次加载模型时生效。</translation>
    </message>
    <message>
        <source>Reload model now</source>
        <translation>立即重新加载模型</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>auto</source>
        <comment>the backend: chosen for this machine</comment>
        <translation>自动</translation>
    </message>
    <message>
        <source>cpu</source>
        <comment>the backend</comment>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Remote models</source>
        <translation>远程模型</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
</context>
<context>
    <name>SseParser</name>
    <message>
        <source>the server sent a line longer than %1 MiB without ending it</source>
        <translation>服务器发来的一行超过 %1 MiB 仍未结束</translation>
    </message>
    <message>
        <source>the server sent an event larger than %1 MiB</source>
        <translation>服务器发来的事件超过 %1 MiB</translation>
    </message>
</context>
<context>
    <name>SystemPromptPopup</name>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Instructions the model follows in this conversation, such as “Answer briefly” or “You are a C++ reviewer”.</source>
        <translation>模型在本对话中遵循的指示，例如“简要回答”或“你是一名 C++ 代码审查者”。</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>无系统提示词</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>ThinkingSection</name>
    <message>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <source>Hide the thinking</source>
        <translation>隐藏思考过程</translation>
    </message>
    <message>
        <source>Show the thinking</source>
        <translation>显示思考过程</translation>
    </message>
</context>
<context>
    <name>UndoToast</name>
    <message>
        <source>Deleted “%1”</source>
        <translation>已删除“%1”</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Latent runs DeepSeek models on this computer; nothing you write leaves it. A model is one GGUF file that holds all its weights. Download one, for example from Hugging Face (search for the model&apos;s name and “GGUF”), then open it here.</source>
        <translation>Latent 在这台电脑上运行 DeepSeek 模型，你写的任何内容都不会离开它。一个模型就是一个包含全部权重的 GGUF 文件。先下载一个（例如在 Hugging Face 上搜索模型名称和“GGUF”），然后在这里打开。</translation>
    </message>
    <message>
        <source>Choose a model that fits your memory. Q4_K_M files are a good balance of size and quality; Q8_0 files are nearly twice as large and a little better.</source>
        <translation>请选择适合你内存大小的模型。Q4_K_M 文件在大小和质量之间取得了良好平衡；Q8_0 文件大约大一倍，质量稍好。</translation>
    </message>
    <message>
        <source>Open a GGUF model…</source>
        <translation>打开 GGUF 模型…</translation>
    </message>
</context>
<context>
    <name>latent::app::AnswerStream</name>
    <message>
        <source>The answer could not be started</source>
        <translation>无法开始生成回答</translation>
    </message>
</context>
<context>
    <name>latent::app::ChatController</name>
    <message>
        <source>The system prompt was not saved</source>
        <translation>系统提示词未保存</translation>
    </message>
    <message>
        <source>The conversation is gone</source>
        <translation>对话已不存在</translation>
    </message>
    <message>
        <source>Conversation %1 is no longer in the database; choose another one.</source>
        <translation>对话 %1 已不在数据库中，请选择其他对话。</translation>
    </message>
    <message>
        <source>The conversation could not be opened</source>
        <translation>无法打开对话</translation>
    </message>
    <message>
        <source>The title is empty</source>
        <translation>标题为空</translation>
    </message>
    <message>
        <source>Type a title for the conversation.</source>
        <translation>请输入对话标题。</translation>
    </message>
    <message>
        <source>The conversation was not renamed</source>
        <translation>对话未重命名</translation>
    </message>
    <message>
        <source>The conversation was not deleted</source>
        <translation>对话未删除</translation>
    </message>
    <message>
        <source>The conversation was not restored</source>
        <translation>对话未恢复</translation>
    </message>
    <message>
        <source>The message could not be opened</source>
        <translation>无法打开该消息</translation>
    </message>
    <message>
        <source>An answer is still being written</source>
        <translation>回答仍在生成中</translation>
    </message>
    <message>
        <source>Wait for it to finish, or press Stop, then try again.</source>
        <translation>请等待其完成，或点击“停止”，然后重试。</translation>
    </message>
    <message>
        <source>The model is still loading</source>
        <translation>模型仍在加载</translation>
    </message>
    <message>
        <source>Wait until it has loaded, then try again.</source>
        <translation>请等待加载完成后重试。</translation>
    </message>
    <message>
        <source>No model is loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Open a model file (.gguf) first, then try again.</source>
        <translation>请先打开一个模型文件（.gguf），然后重试。</translation>
    </message>
    <message>
        <source>The message was not sent</source>
        <translation>消息未发送</translation>
    </message>
    <message>
        <source>Nothing to regenerate</source>
        <translation>没有可重新生成的内容</translation>
    </message>
    <message>
        <source>Choose an answer of the model to write again.</source>
        <translation>请选择模型的一个回答来重新生成。</translation>
    </message>
    <message>
        <source>The answer was not regenerated</source>
        <translation>回答未重新生成</translation>
    </message>
    <message>
        <source>Nothing to edit</source>
        <translation>没有可编辑的内容</translation>
    </message>
    <message>
        <source>Choose one of your messages to edit.</source>
        <translation>请选择你的一条消息进行编辑。</translation>
    </message>
    <message>
        <source>The edited message was not sent</source>
        <translation>编辑后的消息未发送</translation>
    </message>
    <message>
        <source>The other version could not be shown</source>
        <translation>无法显示另一个版本</translation>
    </message>
    <message>
        <source>The conversation could not be shown</source>
        <translation>无法显示对话</translation>
    </message>
    <message>
        <source>The context is full</source>
        <translation>上下文已满</translation>
    </message>
    <message>
        <source>The answer could not be written</source>
        <translation>无法生成回答</translation>
    </message>
    <message>
        <source>The conversations could not be listed</source>
        <translation>无法列出对话</translation>
    </message>
    <message>
        <source>The answer stopped because the conversation filled the context of %L1 tokens. %2</source>
        <translation>对话已占满 %L1 个词元的上下文，回答因此停止。%2</translation>
    </message>
</context>
<context>
    <name>latent::app::CompletionModel</name>
    <message>
        <source>Completion as you type is off (Code ▸ Completion Model).</source>
        <translation>输入时补全已关闭（代码 ▸ 补全模型）。</translation>
    </message>
    <message>
        <source>Completion as you type starts when a model is loaded.</source>
        <translation>加载模型后即开始输入时补全。</translation>
    </message>
    <message>
        <source>%1 cannot complete code as you type: it has no fill-in-the-middle tokens. DeepSeek-Coder base models and DeepSeek-Coder-V2(-Lite) have them; choose one in Code ▸ Completion Model.</source>
        <translation>%1 无法在输入时补全代码：它没有中间填充（FIM）词元。DeepSeek-Coder 基础模型和 DeepSeek-Coder-V2(-Lite) 有这些词元；请在“代码 ▸ 补全模型”中选择一个。</translation>
    </message>
    <message>
        <source>Loading %1 for completion…</source>
        <translation>正在加载用于补全的 %1…</translation>
    </message>
</context>
<context>
    <name>latent::app::ContextLimit</name>
    <message>
        <source>Start a new conversation, or raise the context size in Settings (this model takes up to %L1 tokens) and load the model again.</source>
        <translation>请开始新对话，或在设置中调大上下文长度（该模型最多支持 %L1 个词元）并重新加载模型。</translation>
    </message>
    <message>
        <source>Start a new conversation: %L1 tokens is this model&apos;s own limit, so a larger context size in Settings would not help.</source>
        <translation>请开始新对话：%L1 个词元是该模型自身的上限，在设置中调大上下文长度也无济于事。</translation>
    </message>
</context>
<context>
    <name>latent::app::ContextMeter</name>
    <message>
        <source>The context is nearly full (%L1 of %L2 tokens). %3</source>
        <translation>上下文即将用满（已用 %L1 / %L2 个词元）。%3</translation>
    </message>
</context>
<context>
    <name>latent::app::ConversationFiles</name>
    <message>
        <source>The conversation was not exported</source>
        <translation>对话未导出</translation>
    </message>
    <message>
        <source>Unknown export format</source>
        <translation>未知的导出格式</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an export format: choose markdown or json.</source>
        <translation>“%1”不是导出格式：请选择 markdown 或 json。</translation>
    </message>
    <message>
        <source>%1 could not be written (%2). Choose a folder you can write to.</source>
        <translation>无法写入 %1（%2）。请选择一个可写入的文件夹。</translation>
    </message>
    <message>
        <source>The conversation was not imported</source>
        <translation>对话未导入</translation>
    </message>
    <message>
        <source>%1 could not be read (%2). Choose a conversation exported as JSON.</source>
        <translation>无法读取 %1（%2）。请选择一个以 JSON 格式导出的对话。</translation>
    </message>
</context>
<context>
    <name>latent::app::ConversationListModel</name>
    <message>
        <source>today %1</source>
        <translation>今天 %1</translation>
    </message>
    <message>
        <source>yesterday %1</source>
        <translation>昨天 %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a weekday, then a time</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>MMM d</source>
        <comment>a date this year</comment>
        <translation>M月d日</translation>
    </message>
    <message>
        <source>MMM d, yyyy</source>
        <comment>a date of another year</comment>
        <translation>yyyy年M月d日</translation>
    </message>
</context>
<context>
    <name>latent::app::EngineWorker</name>
    <message>
        <source>%1 is %2, but only %3 of memory is available. Close other programs, or choose a smaller quantization of this model (for example Q4_K_M instead of Q8_0).</source>
        <translation>%1 大小为 %2，但只有 %3 可用内存。请关闭其他程序，或选择该模型更小的量化版本（例如用 Q4_K_M 代替 Q8_0）。</translation>
    </message>
    <message>
        <source>Out of memory while %1. Close other programs, choose a smaller context size in Settings, or a smaller quantization of the model.</source>
        <translation>%1时内存不足。请关闭其他程序，在设置中选择更小的上下文长度，或使用该模型更小的量化版本。</translation>
    </message>
    <message>
        <source>%1 (an unexpected error: please report it, naming the model file)</source>
        <translation>%1（意外错误：请报告此问题，并注明模型文件）</translation>
    </message>
    <message>
        <source>loading %1</source>
        <translation>加载 %1</translation>
    </message>
    <message>
        <source>No model is loaded. Open a model file first.</source>
        <translation>尚未加载模型。请先打开一个模型文件。</translation>
    </message>
    <message>
        <source>writing an answer</source>
        <translation>生成回答</translation>
    </message>
    <message>
        <source>completing code</source>
        <translation>补全代码</translation>
    </message>
    <message>
        <source>%1 has no fill-in-the-middle tokens, so it cannot complete code. DeepSeek-Coder base models (1.3B, 6.7B, 33B) and DeepSeek-Coder-V2(-Lite) have them.</source>
        <translation>%1 没有中间填充（FIM）词元，因此无法补全代码。DeepSeek-Coder 基础模型（1.3B、6.7B、33B）和 DeepSeek-Coder-V2(-Lite) 有这些词元。</translation>
    </message>
    <message>
        <source>No model is loaded for code completion. Open a model, or choose one in Code ▸ Completion Model.</source>
        <translation>没有加载用于代码补全的模型。请打开一个模型，或在“代码 ▸ 补全模型”中选择一个。</translation>
    </message>
    <message>
        <source>%1 has no fill-in-the-middle tokens, so it cannot complete code as you type. DeepSeek-Coder base models (1.3B, 6.7B, 33B) and DeepSeek-Coder-V2(-Lite) have them: choose one as the completion model in Code ▸ Completion Model.</source>
        <translation>%1 没有中间填充（FIM）词元，因此无法在输入时补全代码。DeepSeek-Coder 基础模型（1.3B、6.7B、33B）和 DeepSeek-Coder-V2(-Lite) 有这些词元：请在“代码 ▸ 补全模型”中选择一个作为补全模型。</translation>
    </message>
    <message>
        <source>This conversation is %L1 tokens long and the context holds %L2, which leaves no room for an answer. %3</source>
        <translation>这段对话长 %L1 个词元，而上下文只能容纳 %L2 个，没有留给回答的空间。%3</translation>
    </message>
</context>
<context>
    <name>latent::app::LocalServer</name>
    <message>
        <source>The local server could not listen on port %1: another program is using it. Choose another port in Settings &gt; Local server, or stop that program.</source>
        <translation>本地服务器无法监听端口 %1：另一个程序正在使用它。请在“设置 &gt; 本地服务器”中选择其他端口，或停止那个程序。</translation>
    </message>
</context>
<context>
    <name>latent::app::ModelDownloads</name>
    <message>
        <source>Could not create the download folder %1: choose a folder you can write to.</source>
        <translation>无法创建下载文件夹 %1：请选择一个可写入的文件夹。</translation>
    </message>
    <message>
        <source>The catalogue address &quot;%1&quot; is not a web address: write the https:// address of a catalogue.json.</source>
        <translation>模型目录地址“%1”不是网址：请填写某个 catalogue.json 的 https:// 地址。</translation>
    </message>
    <message>
        <source>Could not fetch the catalogue from %1: %2. The catalogue in use is kept.</source>
        <translation>无法从 %1 获取模型目录：%2。将继续使用当前的模型目录。</translation>
    </message>
    <message>
        <source>%1. The catalogue in use is kept.</source>
        <translation>%1。将继续使用当前的模型目录。</translation>
    </message>
    <message>
        <source>Could not keep the new catalogue in %1: %2.</source>
        <translation>无法将新的模型目录保存到 %1：%2。</translation>
    </message>
</context>
<context>
    <name>latent::app::ModelManager</name>
    <message>
        <source>The recent models list was not updated</source>
        <translation>最近的模型列表未能更新</translation>
    </message>
    <message>
        <source>The model was not removed from the list</source>
        <translation>未能从列表中移除该模型</translation>
    </message>
    <message>
        <source>No such preset</source>
        <translation>没有这个预设</translation>
    </message>
    <message>
        <source>There is no preset named &quot;%1&quot;.</source>
        <translation>没有名为“%1”的预设。</translation>
    </message>
    <message>
        <source>The preset could not be read</source>
        <translation>无法读取该预设</translation>
    </message>
    <message>
        <source>The preset has no name</source>
        <translation>预设没有名称</translation>
    </message>
    <message>
        <source>Type a name for the preset, then save it.</source>
        <translation>请为预设输入名称，然后保存。</translation>
    </message>
    <message>
        <source>Built-in presets cannot be changed</source>
        <translation>内置预设不能修改</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is built in: save your settings under another name.</source>
        <translation>“%1”是内置预设：请用其他名称保存你的设置。</translation>
    </message>
    <message>
        <source>The preset was not saved</source>
        <translation>预设未保存</translation>
    </message>
    <message>
        <source>Built-in presets cannot be deleted</source>
        <translation>内置预设不能删除</translation>
    </message>
    <message>
        <source>&quot;%1&quot; comes with Latent and stays; you can delete presets you saved.</source>
        <translation>“%1”是 Latent 自带的预设，不能删除；你可以删除自己保存的预设。</translation>
    </message>
    <message>
        <source>The preset was not deleted</source>
        <translation>预设未删除</translation>
    </message>
</context>
<context>
    <name>latent::app::ResumableDownload</name>
    <message>
        <source>Could not create the download folder %1: choose another folder in the Downloads settings.</source>
        <translation>无法创建下载文件夹 %1：请在下载设置中选择其他文件夹。</translation>
    </message>
    <message>
        <source>Could not open %1 in %2 to write it: %3.</source>
        <translation>无法打开 %2 中的 %1 进行写入：%3。</translation>
    </message>
    <message>
        <source>Could not write beside %1 in %2: check that the folder is writable.</source>
        <translation>无法在 %2 中 %1 的旁边写入文件：请检查该文件夹是否可写。</translation>
    </message>
    <message>
        <source>Could not read the partial download %1: %2.</source>
        <translation>无法读取未下载完的文件 %1：%2。</translation>
    </message>
    <message>
        <source>Not enough free space in %1 for %2: it needs %3 more (with %4 kept free), and %5 is free. Free some space or choose another download folder, then Resume.</source>
        <translation>%1 中没有足够的空间存放 %2：还需要 %3（另需保留 %4 空闲空间），而目前只有 %5 可用。请释放一些空间或选择其他下载文件夹，然后点击“继续”。</translation>
    </message>
    <message>
        <source>%1 is not on the server (HTTP %2): the catalogue or the mirror may be out of date.</source>
        <translation>服务器上没有 %1（HTTP %2）：模型目录或镜像可能已过时。</translation>
    </message>
    <message>
        <source>The server refused to send %1 (HTTP %2): the repository may need a login or accepting its licence on its web page.</source>
        <translation>服务器拒绝发送 %1（HTTP %2）：该仓库可能需要登录，或需要在其网页上接受许可协议。</translation>
    </message>
    <message>
        <source>The server could not continue %1 where it stopped (HTTP 416): Cancel and download it again.</source>
        <translation>服务器无法从中断处继续下载 %1（HTTP 416）：请点击“取消”，然后重新下载。</translation>
    </message>
    <message>
        <source>The server failed to send %1 (HTTP %2): Resume later.</source>
        <translation>服务器未能发送 %1（HTTP %2）：请稍后点击“继续”。</translation>
    </message>
    <message>
        <source>The server answered HTTP %2 for %1.</source>
        <translation>服务器对 %1 返回了 HTTP %2。</translation>
    </message>
    <message>
        <source>The server sent another part of %1 than the one asked for: Resume to try again.</source>
        <translation>服务器发送的 %1 数据段与请求的不符：请点击“继续”重试。</translation>
    </message>
    <message>
        <source>The server&apos;s %1 is %2 bytes, not the catalogue&apos;s %3: the file may have changed. It was not downloaded.</source>
        <translation>服务器上的 %1 大小为 %2 字节，而不是模型目录中的 %3 字节：该文件可能已更改。文件未下载。</translation>
    </message>
    <message>
        <source>Could not write %1 in %2: %3. Free some space or choose another folder, then Resume.</source>
        <translation>无法在 %2 中写入 %1：%3。请释放一些空间或选择其他文件夹，然后点击“继续”。</translation>
    </message>
    <message>
        <source>The download of %1 stopped: %2. Resume continues where it stopped.</source>
        <translation>%1 的下载已中断：%2。点击“继续”可从中断处接着下载。</translation>
    </message>
    <message>
        <source>The download of %1 ended early, at %2 of %3 bytes: Resume continues where it stopped.</source>
        <translation>%1 的下载提前结束，只下载了 %2 / %3 字节：点击“继续”可从中断处接着下载。</translation>
    </message>
    <message>
        <source>%1 arrived damaged: its SHA-256 is %2, not the published %3. The file was removed; download it again, or from another mirror.</source>
        <translation>%1 下载后已损坏：其 SHA-256 为 %2，而不是公布的 %3。该文件已被删除；请重新下载，或从其他镜像下载。</translation>
    </message>
    <message>
        <source>Could not move %1 into place in %2: check that the folder is writable, then Resume.</source>
        <translation>无法将 %1 移动到 %2 中的目标位置：请检查该文件夹是否可写，然后点击“继续”。</translation>
    </message>
</context>
<context>
    <name>latent::app::UnsavedTexts</name>
    <message>
        <source>The answer is not being saved</source>
        <translation>回答未能保存</translation>
    </message>
    <message>
        <source>%1 The text stays on screen, and saving is tried again every second.</source>
        <translation>%1 文本会保留在屏幕上，并且每秒重试保存一次。</translation>
    </message>
</context>
<context>
    <name>latent::app::remote::RemoteEngine</name>
    <message>
        <source>No remote model is chosen. Choose one in the model picker.</source>
        <translation>尚未选择远程模型。请在模型选择器中选择一个。</translation>
    </message>
</context>
<context>
    <name>latent::app::remote::RemoteModels</name>
    <message>
        <source>No such endpoint</source>
        <translation>没有这个端点</translation>
    </message>
    <message>
        <source>There is no endpoint named %1. Add it in Settings &gt; Remote models.</source>
        <translation>没有名为 %1 的端点。请在“设置 &gt; 远程模型”中添加。</translation>
    </message>
    <message>
        <source>The API key of %1 could not be read or kept</source>
        <translation>无法读取或保存 %1 的 API 密钥</translation>
    </message>
</context>
<context>
    <name>latent::ui::CodeGeneration</name>
    <message>
        <source>Code is being generated already. Stop it first.</source>
        <translation>已在生成代码。请先停止。</translation>
    </message>
    <message>
        <source>Say what code to write, with a file open in the editor.</source>
        <translation>请先在编辑器中打开一个文件，再说明要编写什么代码。</translation>
    </message>
</context>
<context>
    <name>latent::ui::DiffPreviewDialog</name>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Nothing changes: the code is already there.</source>
        <translation>没有任何更改：代码已经存在。</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) added</source>
        <translation>
            <numerusform>新增 %n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) removed</source>
        <translation>
            <numerusform>删除 %n 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latent::ui::EditorArea</name>
    <message>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Done: Ctrl+Z undoes it</source>
        <translation>完成：按 Ctrl+Z 可撤销</translation>
    </message>
    <message>
        <source>&amp;Code</source>
        <translation>代码(&amp;C)</translation>
    </message>
    <message>
        <source>Recent &amp;Files</source>
        <translation>最近的文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Generate at Cursor…</source>
        <translation>在光标处生成(&amp;G)…</translation>
    </message>
    <message>
        <source>&amp;Suggest Completion</source>
        <translation>建议补全(&amp;S)</translation>
    </message>
    <message>
        <source>Completion &amp;Model</source>
        <translation>补全模型(&amp;M)</translation>
    </message>
    <message>
        <source>The Chat&apos;s Model</source>
        <translation>对话所用的模型</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose a Model File…</source>
        <translation>选择模型文件…</translation>
    </message>
    <message>
        <source>Pause Before Completing (%1 ms)…</source>
        <translation>补全前的停顿（%1 毫秒）…</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>Ask for a completion after a pause in typing of (ms):</source>
        <translation>输入停顿多久后请求补全（毫秒）：</translation>
    </message>
    <message>
        <source>Completion Model</source>
        <translation>补全模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Insert at cursor · %1</source>
        <translation>在光标处插入 · %1</translation>
    </message>
    <message>
        <source>Replace selection · %1</source>
        <translation>替换所选内容 · %1</translation>
    </message>
    <message>
        <source>Replace file · %1</source>
        <translation>替换整个文件 · %1</translation>
    </message>
</context>
<context>
    <name>latent::ui::EditorPanel</name>
    <message>
        <source>Cannot Open File</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>Cannot Save File</source>
        <translation>无法保存文件</translation>
    </message>
    <message>
        <source>“%1” is open in another tab. Close that tab first, or choose another name.</source>
        <translation>“%1”已在另一个标签页中打开。请先关闭该标签页，或选择其他名称。</translation>
    </message>
    <message>
        <source>Cannot Reload File</source>
        <translation>无法重新加载文件</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>清除最近的文件</translation>
    </message>
    <message>
        <source>Untitled %1</source>
        <translation>未命名 %1</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 (deleted)</source>
        <translation>%1（已删除）</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>Deleted from disk: saving writes it again.</source>
        <translation>已从磁盘删除：保存后会重新写入。</translation>
    </message>
    <message>
        <source>No open files

New file: %1
Open a file: %2</source>
        <translation>没有打开的文件

新建文件：%1
打开文件：%2</translation>
    </message>
</context>
<context>
    <name>latent::ui::FindBar</name>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <source>Regular e&amp;xpression</source>
        <translation>正则表达式(&amp;X)</translation>
    </message>
    <message>
        <source>Match &amp;case</source>
        <translation>区分大小写(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Whole word</source>
        <translation>全字匹配(&amp;W)</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Find the previous match (Shift+Enter)</source>
        <translation>查找上一个匹配项（Shift+Enter）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Find the next match (Enter)</source>
        <translation>查找下一个匹配项（Enter）</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Replace this match and find the next one (Enter)</source>
        <translation>替换此匹配项并查找下一个（Enter）</translation>
    </message>
    <message>
        <source>Replace All</source>
        <translation>全部替换</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>没有匹配项</translation>
    </message>
    <message>
        <source>No more matches</source>
        <translation>没有更多匹配项</translation>
    </message>
    <message>
        <source>Replaced 1 match</source>
        <translation>已替换 1 处匹配项</translation>
    </message>
    <message>
        <source>Replaced %1 matches</source>
        <translation>已替换 %1 处匹配项</translation>
    </message>
    <message>
        <source>Invalid regular expression</source>
        <translation>无效的正则表达式</translation>
    </message>
</context>
<context>
    <name>latent::ui::GenerateBar</name>
    <message>
        <source>Describe the code to write at the cursor, then press Enter</source>
        <translation>描述要在光标处编写的代码，然后按 Enter</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>latent::ui::MainWindow</name>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Find in Conversations</source>
        <translation>在对话中查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Latent</source>
        <translation>关于 Latent(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New Conversation</source>
        <translation>新建对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open Model...</source>
        <translation>打开模型(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Recent Models</source>
        <translation>最近的模型(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Import Conversation...</source>
        <translation>导入对话(&amp;I)...</translation>
    </message>
    <message>
        <source>&amp;Export Conversation</source>
        <translation>导出对话(&amp;E)</translation>
    </message>
    <message>
        <source>As &amp;Markdown...</source>
        <translation>Markdown 格式(&amp;M)...</translation>
    </message>
    <message>
        <source>As &amp;JSON...</source>
        <translation>JSON 格式(&amp;J)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>No recent models</source>
        <translation>没有最近的模型</translation>
    </message>
    <message>
        <source>%1 (file missing)</source>
        <translation>%1（文件不存在）</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import Conversation</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>Conversations exported by Latent (*.json);;All files (*)</source>
        <translation>Latent 导出的对话 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export Conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>About Latent</source>
        <translation>关于 Latent</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Latent %1&lt;/h3&gt;&lt;p&gt;Chat with DeepSeek models on your own machine. Your conversations never leave it.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Latent %1&lt;/h3&gt;&lt;p&gt;在你自己的电脑上与 DeepSeek 模型对话。你的对话不会离开这台电脑。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Code &amp;Editor</source>
        <translation>代码编辑器(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Preferences...</source>
        <translation>首选项(&amp;P)...</translation>
    </message>
</context>
<context>
    <name>latent::ui::StoreOpening</name>
    <message>
        <source>Cannot move the database aside</source>
        <translation>无法移走数据库</translation>
    </message>
    <message>
        <source>%1 could not be renamed to %2: %3. Move or rename it yourself, then retry.</source>
        <translation>无法将 %1 重命名为 %2：%3。请手动移动或重命名该文件，然后重试。</translation>
    </message>
    <message>
        <source>Cannot open your conversations</source>
        <translation>无法打开你的对话</translation>
    </message>
    <message>
        <source>Another program is using the database. Close it (or the other Latent window), then retry.</source>
        <translation>另一个程序正在使用该数据库。请关闭它（或另一个 Latent 窗口），然后重试。</translation>
    </message>
    <message>
        <source>You can move the file aside and start with an empty database. Nothing is deleted: the file keeps your conversations under a new name beside it.</source>
        <translation>你可以把该文件移到一旁，从一个空数据库开始。不会删除任何内容：原文件以新名称保留在同一文件夹中，其中的对话都还在。</translation>
    </message>
    <message>
        <source>Move Aside and Start Fresh</source>
        <translation>移到一旁并重新开始</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>latent::ui::UiSettings</name>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
</context>
<context>
    <name>latent::ui::Utf8File</name>
    <message>
        <source>%1 could not be opened (%2). Check that it exists and that you may read it.</source>
        <translation>无法打开 %1（%2）。请检查文件是否存在，以及您是否有读取权限。</translation>
    </message>
    <message>
        <source>%1 could not be read (%2).</source>
        <translation>无法读取 %1（%2）。</translation>
    </message>
    <message>
        <source>%1 is not UTF-8 text, so it was not opened: editing it here could damage it. Convert it to UTF-8 first (for example with iconv).</source>
        <translation>%1 不是 UTF-8 文本，因此没有打开：在这里编辑可能会损坏它。请先将其转换为 UTF-8（例如使用 iconv）。</translation>
    </message>
    <message>
        <source>%1 could not be saved (%2). Choose a folder you can write to.</source>
        <translation>无法保存 %1（%2）。请选择一个您有写入权限的文件夹。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>The chat window could not be loaded, because a part of Qt it needs is missing or damaged. Reinstall Latent (from a package: install it again; on Debian, the qml6-module-* packages).</source>
        <translation>无法加载聊天窗口：它所需的 Qt 组件缺失或已损坏。请重新安装 Latent（若从安装包安装：再安装一次；在 Debian 上：安装 qml6-module-* 软件包）。</translation>
    </message>
    <message>
        <source>Latent cannot start</source>
        <translation>Latent 无法启动</translation>
    </message>
</context>
</TS>
